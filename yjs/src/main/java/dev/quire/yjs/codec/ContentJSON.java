package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.Undefined;
import java.util.List;

/** Ref 2: legacy JSON content; yjs no longer writes it from edits but reads and re-encodes it. */
public record ContentJSON(List<Object> arr) implements Content {
    public static final int REF = 2;

    public ContentJSON {
        arr = java.util.Collections.unmodifiableList(arr);
    }

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return arr.size();
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        int len = arr.size();
        encoder.writeLen(len - offset);
        for (int i = (int) offset; i < len; i++) {
            Object c = arr.get(i);
            encoder.writeString(c == Undefined.UNDEFINED ? "undefined" : Json.stringify(c));
        }
    }

    @Override
    public Content right(long offset) {
        return new ContentJSON(arr.subList((int) offset, arr.size()));
    }

    @Override
    public Content left(long offset) {
        return new ContentJSON(arr.subList(0, (int) offset));
    }

    static Object parseElement(String s, UpdateDecoder decoder) {
        if ("undefined".equals(s)) {
            return Undefined.UNDEFINED;
        }
        return Json.parse(s, decoder);
    }
}
