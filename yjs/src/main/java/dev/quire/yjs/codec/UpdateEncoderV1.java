package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.Lib0Writer;

/** Update format v1: every field is a plain lib0 value, in order, in one buffer. */
public final class UpdateEncoderV1 implements UpdateEncoder {
    private Lib0Writer rest = new Lib0Writer();

    @Override
    public Lib0Writer rest() {
        return rest;
    }

    @Override
    public void setRest(Lib0Writer rest) {
        this.rest = rest;
    }

    @Override
    public void writeLeftId(long client, long clock) {
        rest.writeVarUint(client);
        rest.writeVarUint(clock);
    }

    @Override
    public void writeRightId(long client, long clock) {
        rest.writeVarUint(client);
        rest.writeVarUint(clock);
    }

    @Override
    public void writeClient(long client) {
        rest.writeVarUint(client);
    }

    @Override
    public void writeInfo(int info) {
        rest.writeUint8(info);
    }

    @Override
    public void writeString(String s) {
        rest.writeVarString(s);
    }

    @Override
    public void writeParentInfo(boolean isYKey) {
        rest.writeVarUint(isYKey ? 1 : 0);
    }

    @Override
    public void writeTypeRef(int typeRef) {
        rest.writeVarUint(typeRef);
    }

    @Override
    public void writeLen(long len) {
        rest.writeVarUint(len);
    }

    @Override
    public void writeAny(Object value) {
        rest.writeAny(value);
    }

    @Override
    public void writeBuf(byte[] buf) {
        rest.writeVarUint8Array(buf);
    }

    @Override
    public void writeJSON(Object value) {
        rest.writeVarString(Json.stringify(value));
    }

    @Override
    public void writeKey(String key) {
        rest.writeVarString(key);
    }

    @Override
    public void resetDsCurVal() {
        // v1 writes absolute clocks
    }

    @Override
    public void writeDsClock(long clock) {
        rest.writeVarUint(clock);
    }

    @Override
    public void writeDsLen(long len) {
        rest.writeVarUint(len);
    }

    @Override
    public byte[] toByteArray() {
        return rest.toByteArray();
    }
}
