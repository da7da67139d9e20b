package dev.quire.yjs.lib0;

/** Reads what {@link IntDiffOptRleEncoder} writes. */
public final class IntDiffOptRleDecoder {
    private final Lib0Reader in;
    private long s;
    private long count;
    private long diff;

    public IntDiffOptRleDecoder(Lib0Reader in) {
        this.in = in;
    }

    public long read() {
        if (count == 0) {
            long d = in.readVarInt();
            boolean hasCount = (d & 1) != 0;
            diff = d >> 1; // arithmetic shift floors, like Math.floor(d / 2)
            count = 1;
            if (hasCount) {
                count = in.readVarUint() + 2;
            }
        }
        s += diff;
        count--;
        return s;
    }
}
