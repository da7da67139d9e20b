package dev.quire.yjs.lib0;

/**
 * lib0 {@code IntDiffOptRleEncoder}: encodes differences to the previous value; a run of equal
 * differences is {@code varInt(diff * 2 + 1)} then {@code varUint(count - 2)}, a single one
 * {@code varInt(diff * 2)}.
 */
public final class IntDiffOptRleEncoder {
    private final Lib0Writer out = new Lib0Writer();
    private long s;
    private long count;
    private long diff;

    public void write(long v) {
        if (diff == v - s) {
            s = v;
            count++;
        } else {
            flush();
            count = 1;
            diff = v - s;
            s = v;
        }
    }

    private void flush() {
        if (count > 0) {
            out.writeVarInt(diff * 2 + (count == 1 ? 0 : 1));
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
