package dev.quire.yjs.codec;

/** Ref 4: text; its length is in UTF-16 code units, as in JavaScript. */
public record ContentString(String str) implements Content {
    public static final int REF = 4;
    private static final char REPLACEMENT = '\uFFFD';

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return str.length();
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        // a write with an offset keeps a lone low surrogate; UTF-8 then writes it as U+FFFD (as yjs)
        encoder.writeString(offset == 0 ? str : str.substring((int) offset));
    }

    /** yjs issue #248: a split inside a surrogate pair replaces both halves with U+FFFD. */
    private boolean splitsPair(int offset) {
        return offset > 0 && Character.isHighSurrogate(str.charAt(offset - 1));
    }

    @Override
    public Content right(long offset) {
        int off = (int) offset;
        String right = str.substring(off);
        if (splitsPair(off)) {
            right = REPLACEMENT + right.substring(1);
        }
        return new ContentString(right);
    }

    @Override
    public Content left(long offset) {
        int off = (int) offset;
        if (splitsPair(off)) {
            return new ContentString(str.substring(0, off - 1) + REPLACEMENT);
        }
        return new ContentString(str.substring(0, off));
    }
}
