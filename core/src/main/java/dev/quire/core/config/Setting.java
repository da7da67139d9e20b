package dev.quire.core.config;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One setting: its environment variable (public API: never rename), type, default, a check and a
 * one-sentence description with the unit. Settings are declared as constants in one {@code *Settings}
 * class per component and read through {@link Env}.
 *
 * @param <T> the value type
 */
public final class Setting<T> {
    private final String env;
    private final String defaultText;
    private final String doc;
    private final Function<String, T> parse;
    private final Predicate<T> check;
    private final String checkDoc;
    private final boolean secret;
    private final boolean expert;

    private Setting(String env, String defaultText, String doc, Function<String, T> parse, Predicate<T> check,
                    String checkDoc, boolean secret, boolean expert) {
        this.env = env;
        this.defaultText = defaultText;
        this.doc = doc;
        this.parse = parse;
        this.check = check;
        this.checkDoc = checkDoc;
        this.secret = secret;
        this.expert = expert;
    }

    public static Setting<String> string(String env, String defaultValue, String doc) {
        return new Setting<>(env, defaultValue, doc, s -> s, v -> true, null, false, false);
    }

    public static Setting<Integer> integer(String env, int defaultValue, int min, int max, String doc) {
        return new Setting<>(env, Integer.toString(defaultValue), doc, Integer::parseInt, v -> v >= min && v <= max,
                "an integer from " + min + " to " + max, false, false);
    }

    public static Setting<Duration> duration(String env, String defaultValue, String doc) {
        return new Setting<>(env, defaultValue, doc, Setting::parseDuration, d -> !d.isNegative(),
                "a duration such as 500ms, 30s, 5m or 1h", false, false);
    }

    public static Setting<Boolean> bool(String env, boolean defaultValue, String doc) {
        return new Setting<>(env, Boolean.toString(defaultValue), doc, Setting::parseBool, v -> true, "true or false", false, false);
    }

    /** The same setting, never printed with its value (passwords, tokens). */
    public Setting<T> secret() {
        return new Setting<>(env, defaultText, doc, parse, check, checkDoc, true, expert);
    }

    /** The same setting, listed among the expert settings of the reference. */
    public Setting<T> expert() {
        return new Setting<>(env, defaultText, doc, parse, check, checkDoc, secret, true);
    }

    public String env() {
        return env;
    }

    public String defaultText() {
        return defaultText;
    }

    public String doc() {
        return doc;
    }

    public boolean isSecret() {
        return secret;
    }

    public boolean isExpert() {
        return expert;
    }

    /** Parses and checks {@code text}; throws {@link ConfigException} naming the variable. */
    T parse(String text) {
        T value;
        try {
            value = parse.apply(text.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(env + "=" + (secret ? "<hidden>" : "'" + text + "'") + " is not valid: expected "
                    + (checkDoc == null ? "a value" : checkDoc));
        }
        if (!check.test(value)) {
            throw new ConfigException(env + "=" + (secret ? "<hidden>" : "'" + text + "'") + " is out of range: expected " + checkDoc);
        }
        return value;
    }

    static Duration parseDuration(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException(s);
        };
    }

    private static boolean parseBool(String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(s);
    }
}
