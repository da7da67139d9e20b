package dev.quire.yjs.codec;

/** Ref 1: deleted content of which only the length is kept. */
public record ContentDeleted(long len) implements Content {
    public static final int REF = 1;

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return len;
    }

    @Override
    public boolean countable() {
        return false;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeLen(len - offset);
    }

    @Override
    public Content right(long offset) {
        return new ContentDeleted(len - offset);
    }

    @Override
    public Content left(long offset) {
        return new ContentDeleted(offset);
    }
}
