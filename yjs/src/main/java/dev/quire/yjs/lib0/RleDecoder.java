package dev.quire.yjs.lib0;

/** Reads what {@link RleEncoder} writes. */
public final class RleDecoder {
    private final Lib0Reader in;
    private int s;
    private long count;

    public RleDecoder(Lib0Reader in) {
        this.in = in;
    }

    public int read() {
        if (count == 0) {
            s = in.readUint8();
            count = in.hasContent() ? in.readVarUint() + 1 : -1; // -1: the last value repeats forever
        }
        count--;
        return s;
    }
}
