package dev.quire.yjs.codec;

/** The two Yjs update encodings. */
public enum UpdateFormat {
    V1, V2;

    public UpdateDecoder decoder(byte[] update) {
        return this == V1 ? new UpdateDecoderV1(update) : new UpdateDecoderV2(update);
    }

    public UpdateEncoder encoder() {
        return this == V1 ? new UpdateEncoderV1() : new UpdateEncoderV2();
    }
}
