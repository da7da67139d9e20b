package dev.quire.yjs.codec;

import java.util.Arrays;

/** Ref 3: a byte array (a {@code Uint8Array} inserted into a type). */
public record ContentBinary(byte[] content) implements Content {
    public static final int REF = 3;

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return 1;
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeBuf(content);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentBinary b && Arrays.equals(content, b.content);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "ContentBinary(" + content.length + " bytes)";
    }
}
