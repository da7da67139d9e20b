package dev.quire.yjs.codec;

/** Content that was deleted and garbage-collected: only its clock range remains. */
public final class GC extends Struct {
    /** Content ref written in the info byte. */
    public static final int REF = 0;
    long length;

    public GC(long client, long clock, long length) {
        super(client, clock);
        this.length = length;
    }

    @Override
    public long length() {
        return length;
    }

    /** Extends this GC by the length of one that follows it (used only while merging). */
    public void extendBy(long more) {
        length += more;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeInfo(REF);
        encoder.writeLen(length - offset);
    }

    @Override
    public GC sliceFrom(long diff) {
        return new GC(client, clock + diff, length - diff);
    }

    @Override
    public String toString() {
        return "GC(" + client + ":" + clock + ", " + length + ")";
    }
}
