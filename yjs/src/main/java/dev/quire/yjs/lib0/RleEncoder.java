package dev.quire.yjs.lib0;

/**
 * lib0 {@code RleEncoder} for bytes: each new value is written at once, its repeat count (minus one)
 * when a different value follows. The count of the last run is never written; {@link RleDecoder}
 * repeats the last value forever.
 */
public final class RleEncoder {
    private final Lib0Writer out = new Lib0Writer();
    private int s = -1;
    private long count;

    public void write(int v) {
        if (s == v) {
            count++;
        } else {
            if (count > 0) {
                out.writeVarUint(count - 1);
            }
            count = 1;
            out.writeUint8(v);
            s = v;
        }
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
