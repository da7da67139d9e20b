package dev.quire.core;

import java.nio.charset.StandardCharsets;

/**
 * The one rule for document names, applied on every path a name enters by (Hocuspocus Auth, y-websocket path,
 * HTTP API) and again by the persister's record classifier, so that a name the front accepts is always one the
 * store can hold: at most {@value #MAX_BYTES} bytes of UTF-8 (PostgreSQL refuses a b-tree index entry over about
 * 2,700 bytes, and a refused row stopped the persister for every document), not blank, and no control characters
 * (U+0000-U+001F, U+007F-U+009F: a newline in a name would forge a log line, U+0000 cannot be stored as text).
 */
public final class DocumentNames {
    /** Longest document name, in bytes of UTF-8. */
    public static final int MAX_BYTES = 1024;

    private DocumentNames() {
    }

    /** Why {@code name} is not a valid document name, or null when it is. */
    public static String problem(String name) {
        if (name == null || name.isBlank()) {
            return "the document name is empty";
        }
        if (name.length() > MAX_BYTES) { // every char is at least one byte: no need to encode to know
            return "the document name is longer than " + MAX_BYTES + " bytes";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isControl(c)) {
                return String.format("the document name contains the control character U+%04X", (int) c);
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(++i)))) {
                return "the document name contains an unpaired surrogate (not valid UTF-8)";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "the document name is longer than " + MAX_BYTES + " bytes of UTF-8";
        }
        return null;
    }

    /** Whether {@code name} is a valid document name. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /**
     * {@code s} safe for one log line: control characters escaped as {@code \\uXXXX} (a name with a newline must not
     * forge a line), cut to 200 characters.
     */
    public static String forLog(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), 200);
        StringBuilder sb = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (isControl(c) || c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(n + 16).append(s, 0, i);
                }
                sb.append(c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        String out = sb == null ? s.substring(0, n) : sb.toString();
        return s.length() > n ? out + "...(" + s.length() + " chars)" : out;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }
}
