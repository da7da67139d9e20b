package dev.quire.yjs.model;

import dev.quire.yjs.codec.ID;
import dev.quire.yjs.codec.UpdateEncoder;

/** A struct in a document's store: an {@link Item}, a {@link GC}, or (only while reading) a {@link Skip}. */
public abstract sealed class AbstractStruct permits Item, GC, Skip {
    final long client;
    long clock;
    long length;

    AbstractStruct(long client, long clock, long length) {
        this.client = client;
        this.clock = clock;
        this.length = length;
    }

    public long client() {
        return client;
    }

    public long clock() {
        return clock;
    }

    public long length() {
        return length;
    }

    public ID id() {
        return new ID(client, clock);
    }

    public abstract boolean deleted();

    abstract boolean mergeWith(AbstractStruct right);

    abstract void write(UpdateEncoder encoder, long offset);

    abstract void integrate(Transaction transaction, long offset);

    /** The client whose missing structs block integration, or -1. */
    long getMissing(Transaction transaction, StructStore store) {
        return -1;
    }
}
