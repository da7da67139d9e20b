package dev.quire.yjs.model;

import dev.quire.yjs.codec.UpdateEncoder;

/** A gap read from a merged update; never integrated, only carried into pending structs. */
public final class Skip extends AbstractStruct {
    Skip(long client, long clock, long length) {
        super(client, clock, length);
    }

    @Override
    public boolean deleted() {
        return true;
    }

    @Override
    boolean mergeWith(AbstractStruct right) {
        if (!(right instanceof Skip)) {
            return false;
        }
        length += right.length;
        return true;
    }

    @Override
    void integrate(Transaction transaction, long offset) {
        throw new IllegalStateException("a Skip is never integrated");
    }

    @Override
    void write(UpdateEncoder encoder, long offset) {
        encoder.writeInfo(dev.quire.yjs.codec.Skip.REF);
        encoder.rest().writeVarUint(length - offset);
    }
}
