package dev.quire.yjs.lib0;

/** Reads what {@link UintOptRleEncoder} writes; a negative sign (including -0) announces a run. */
public final class UintOptRleDecoder {
    private final Lib0Reader in;
    private long s;
    private long count;

    public UintOptRleDecoder(Lib0Reader in) {
        this.in = in;
    }

    public long read() {
        if (count == 0) {
            long v = in.readVarInt();
            count = 1;
            if (in.lastVarIntNegative()) {
                v = -v;
                count = in.readVarUint() + 2;
            }
            s = v;
        }
        count--;
        return s;
    }
}
