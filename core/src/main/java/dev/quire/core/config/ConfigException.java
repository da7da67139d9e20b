package dev.quire.core.config;

import dev.quire.core.QuireException;

/** A setting is missing, malformed or inconsistent; the message names the environment variable and the fix. */
public class ConfigException extends QuireException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
