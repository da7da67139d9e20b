package dev.quire.yjs.codec;

import java.util.Collections;
import java.util.List;

/** Ref 8: a run of JSON-like values (see {@link dev.quire.yjs.lib0.Lib0Reader#readAny()}). */
public record ContentAny(List<Object> arr) implements Content {
    public static final int REF = 8;

    public ContentAny {
        arr = Collections.unmodifiableList(arr);
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
            encoder.writeAny(arr.get(i));
        }
    }

    @Override
    public Content right(long offset) {
        return new ContentAny(arr.subList((int) offset, arr.size()));
    }

    @Override
    public Content left(long offset) {
        return new ContentAny(arr.subList(0, (int) offset));
    }
}
