package dev.quire.yjs.codec;

/** A gap in a client's clock range; appears only in merged or diffed updates, never in a document. */
public final class Skip extends Struct {
    /** Content ref written in the info byte. */
    public static final int REF = 10;
    long length;

    public Skip(long client, long clock, long length) {
        super(client, clock);
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    /** Makes the skip end at {@code end} (used only while merging). */
    public void extendTo(long end) {
        this.length = end - clock;
    }

    /** Shortens the skip by {@code diff} units (used only while merging). */
    public void shrinkBy(long diff) {
        this.length -= diff;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeInfo(REF);
        encoder.rest().writeVarUint(length - offset); // Skip lengths go to the rest encoder, in v2 too
    }

    @Override
    public Skip sliceFrom(long diff) {
        return new Skip(client, clock + diff, length - diff);
    }

    @Override
    public String toString() {
        return "Skip(" + client + ":" + clock + ", " + length + ")";
    }
}
