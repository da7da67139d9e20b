package dev.quire.yjs.codec;

/** Ref 6: a formatting mark in a text ({@code key = value}, {@code null} ends the attribute). Not countable. */
public record ContentFormat(String key, Object value) implements Content {
    public static final int REF = 6;

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
        return false;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeKey(key);
        encoder.writeJSON(value);
    }
}
