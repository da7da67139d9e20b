package dev.quire.yjs.model;

import dev.quire.yjs.codec.UpdateEncoder;

/** Garbage-collected content: only the clock range remains. */
public final class GC extends AbstractStruct {
    GC(long client, long clock, long length) {
        super(client, clock, length);
    }

    @Override
    public boolean deleted() {
        return true;
    }

    @Override
    boolean mergeWith(AbstractStruct right) {
        if (!(right instanceof GC)) {
            return false;
        }
        length += right.length;
        return true;
    }

    @Override
    void integrate(Transaction transaction, long offset) {
        if (offset > 0) {
            clock += offset;
            length -= offset;
        }
        transaction.doc.store.addStruct(this);
    }

    @Override
    void write(UpdateEncoder encoder, long offset) {
        encoder.writeInfo(dev.quire.yjs.codec.GC.REF);
        encoder.writeLen(length - offset);
    }
}
