package dev.quire.server.redis;

import dev.quire.core.config.ConfigException;

/** Redis cannot be used as configured; {@link #kind()} tells which misconfiguration, {@link Kind#exitCode} its exit status. */
public final class RedisConfigException extends ConfigException {
    private static final long serialVersionUID = 1L;

    /** What is wrong, each with its own exit code of {@code quire server}. */
    public enum Kind {
        /** Nothing answers at the address (refused, unknown host, timeout). */
        UNREACHABLE(10),
        /** Redis requires a password and none was given. */
        PASSWORD_MISSING(11),
        /** Redis rejected the user/password. */
        PASSWORD_REJECTED(12),
        /** Plain text (redis://) sent to a TLS port. */
        TLS_REQUIRED(13),
        /** TLS (rediss://) sent to a plain-text port. */
        NOT_TLS(14),
        /** The server certificate is not trusted (CA) or does not match the host. */
        UNTRUSTED_CERTIFICATE(15),
        /** Anything else Redis answered at start. */
        OTHER(16);

        public final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    private final Kind kind;

    public RedisConfigException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public int exitCode() {
        return kind.exitCode;
    }
}
