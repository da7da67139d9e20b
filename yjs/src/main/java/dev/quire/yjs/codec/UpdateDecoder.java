package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.Lib0Reader;

/**
 * Reads the fields of an update; {@link UpdateDecoderV1} and {@link UpdateDecoderV2} are the two wire
 * formats. Mirrors {@link UpdateEncoder} method for method. Every method throws
 * {@link dev.quire.yjs.MalformedUpdateException} on bad input.
 */
public sealed interface UpdateDecoder permits UpdateDecoderV1, UpdateDecoderV2 {
    Lib0Reader rest();

    ID readLeftId();

    ID readRightId();

    long readClient();

    int readInfo();

    String readString();

    boolean readParentInfo();

    long readTypeRef();

    long readLen();

    Object readAny();

    byte[] readBuf();

    Object readJSON();

    String readKey();

    void resetDsCurVal();

    long readDsClock();

    long readDsLen();
}
