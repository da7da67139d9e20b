package dev.quire.core.config;

import java.util.Map;

/**
 * Where settings are read from: the process environment in production, a map in tests. A variable that
 * is unset or blank takes the setting's default.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The value of {@code setting}: parsed and checked, or its default. */
    public <T> T get(Setting<T> setting) {
        String v = vars.get(setting.env());
        if (v == null || v.isBlank()) {
            return setting.parse(setting.defaultText());
        }
        return setting.parse(v);
    }

    /** Raw variables with {@code prefix}, for pass-through settings (e.g. extra Kafka client properties). */
    public Map<String, String> withPrefix(String prefix) {
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
        vars.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }
}
