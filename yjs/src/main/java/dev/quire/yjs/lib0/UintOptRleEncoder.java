package dev.quire.yjs.lib0;

/**
 * lib0 {@code UintOptRleEncoder}: a single value is {@code varInt(v)}; a run is {@code varInt(-v)}
 * followed by {@code varUint(count - 2)}. A run of zeros therefore starts with negative zero
 * ({@code 0x40}).
 */
public final class UintOptRleEncoder {
    private final Lib0Writer out = new Lib0Writer();
    private long s;
    private long count;

    public void write(long v) {
        if (s == v) {
            count++;
        } else {
            flush();
            count = 1;
            s = v;
        }
    }

    private void flush() {
        if (count > 0) {
            out.writeVarInt(s, count > 1);
            if (count > 1) {
                out.writeVarUint(count - 2);
            }
        }
    }

    public byte[] toByteArray() {
        flush();
        count = 0;
        return out.toByteArray();
    }
}
