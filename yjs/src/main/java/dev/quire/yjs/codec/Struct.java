package dev.quire.yjs.codec;

/**
 * A run of {@code length} clock units of one client, as it appears in an update: an {@link Item},
 * a {@link GC} (garbage-collected content) or a {@link Skip} (a gap, only in merged or diffed updates).
 */
public abstract sealed class Struct permits GC, Skip, Item {
    /** The creating client. */
    public final long client;
    /** The clock of the first unit. */
    public final long clock;

    protected Struct(long client, long clock) {
        this.client = client;
        this.clock = clock;
    }

    /** Number of clock units this struct covers. */
    public abstract long length();

    /** Writes this struct, leaving out its first {@code offset} units. */
    public abstract void write(UpdateEncoder encoder, long offset);

    /** This struct without its first {@code diff} units (yjs {@code sliceStruct}). */
    public abstract Struct sliceFrom(long diff);

    public ID id() {
        return new ID(client, clock);
    }
}
