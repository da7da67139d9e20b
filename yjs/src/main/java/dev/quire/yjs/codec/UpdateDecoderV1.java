package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.Lib0Reader;

/** Reads update format v1 (see {@link UpdateEncoderV1}). */
public final class UpdateDecoderV1 implements UpdateDecoder {
    private final Lib0Reader rest;

    public UpdateDecoderV1(byte[] update) {
        this.rest = new Lib0Reader(update);
    }

    public UpdateDecoderV1(Lib0Reader reader) {
        this.rest = reader;
    }

    @Override
    public Lib0Reader rest() {
        return rest;
    }

    @Override
    public ID readLeftId() {
        return new ID(rest.readVarUint(), rest.readVarUint());
    }

    @Override
    public ID readRightId() {
        return new ID(rest.readVarUint(), rest.readVarUint());
    }

    @Override
    public long readClient() {
        return rest.readVarUint();
    }

    @Override
    public int readInfo() {
        return rest.readUint8();
    }

    @Override
    public String readString() {
        return rest.readVarString();
    }

    @Override
    public boolean readParentInfo() {
        return rest.readVarUint() == 1;
    }

    @Override
    public long readTypeRef() {
        return rest.readVarUint();
    }

    @Override
    public long readLen() {
        return rest.readVarUint();
    }

    @Override
    public Object readAny() {
        return rest.readAny();
    }

    @Override
    public byte[] readBuf() {
        return rest.readVarUint8Array();
    }

    @Override
    public Object readJSON() {
        return Json.parse(rest.readVarString(), this);
    }

    @Override
    public String readKey() {
        return rest.readVarString();
    }

    @Override
    public void resetDsCurVal() {
        // v1 reads absolute clocks
    }

    @Override
    public long readDsClock() {
        return rest.readVarUint();
    }

    @Override
    public long readDsLen() {
        return rest.readVarUint();
    }
}
