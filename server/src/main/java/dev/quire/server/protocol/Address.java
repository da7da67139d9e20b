package dev.quire.server.protocol;

import java.util.Arrays;

/**
 * A frame address: the raw UTF-8 bytes (echoed byte for byte in answers) and the document name they
 * name (before any {@code \0} session suffix).
 */
public record Address(byte[] raw, String text, String document) {

    public static Address of(String text) {
        byte[] raw = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Address(raw, text, documentOf(text));
    }

    static String documentOf(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address a && Arrays.equals(raw, a.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    /** For log lines: control characters (the {@code \0} before a session suffix among them) escaped. */
    @Override
    public String toString() {
        return dev.quire.core.DocumentNames.forLog(text);
    }
}
