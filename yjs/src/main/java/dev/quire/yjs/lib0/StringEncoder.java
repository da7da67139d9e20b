package dev.quire.yjs.lib0;

/**
 * lib0 {@code StringEncoder}: all strings concatenated into one varString, followed (no length
 * prefix) by a {@link UintOptRleEncoder} of their UTF-16 lengths. Because the concatenation goes
 * through UTF-8 as one piece, a high surrogate ending one string and a low surrogate starting the
 * next become one valid pair, exactly as in yjs.
 */
public final class StringEncoder {
    private final StringBuilder sb = new StringBuilder();
    private final UintOptRleEncoder lens = new UintOptRleEncoder();

    public void write(String s) {
        sb.append(s);
        lens.write(s.length());
    }

    public byte[] toByteArray() {
        Lib0Writer w = new Lib0Writer(sb.length() + 16);
        w.writeVarString(sb.toString());
        w.writeUint8Array(lens.toByteArray());
        return w.toByteArray();
    }
}
