package dev.quire.yjs.codec;

/** Ref 5: an embed in a text (an object such as {@code {image: "x.png"}}); JSON in v1, {@code any} in v2. */
public record ContentEmbed(Object embed) implements Content {
    public static final int REF = 5;

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
        encoder.writeJSON(embed);
    }
}
