package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.Lib0Writer;

/**
 * Writes the fields of an update; {@link UpdateEncoderV1} and {@link UpdateEncoderV2} are the two wire
 * formats. Mirrors {@link UpdateDecoder} method for method.
 */
public sealed interface UpdateEncoder permits UpdateEncoderV1, UpdateEncoderV2 {
    /** The encoder for everything that has no column of its own (and, in v1, for everything). */
    Lib0Writer rest();

    /** Replaces the rest encoder (the lazy struct writer buffers one client's structs at a time). */
    void setRest(Lib0Writer rest);

    void writeLeftId(long client, long clock);

    void writeRightId(long client, long clock);

    void writeClient(long client);

    void writeInfo(int info);

    void writeString(String s);

    void writeParentInfo(boolean isYKey);

    void writeTypeRef(int typeRef);

    void writeLen(long len);

    void writeAny(Object value);

    void writeBuf(byte[] buf);

    void writeJSON(Object value);

    void writeKey(String key);

    void resetDsCurVal();

    void writeDsClock(long clock);

    void writeDsLen(long len);

    byte[] toByteArray();
}
