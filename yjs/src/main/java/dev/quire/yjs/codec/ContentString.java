package dev.quire.yjs.codec;

import java.util.Objects;

/**
 * Ref 4: text; its length is in UTF-16 code units, as in JavaScript.
 *
 * <p>A value, except for {@link #append}: the document model merges a typed run into one item the way yjs's
 * {@code mergeWith} does, in place. Appending to a {@code String} would copy the whole run on every typed
 * character (JavaScript's strings concatenate without copying), so appends go to a builder and the string is
 * made again only when read.
 */
public final class ContentString implements Content {
    public static final int REF = 4;
    private static final char REPLACEMENT = '\uFFFD';

    /** The text, or null after an append until it is read again. */
    private String str;
    /** The text while it is being appended to (null once read). */
    private StringBuilder appended;

    public ContentString(String str) {
        this.str = Objects.requireNonNull(str);
    }

    public String str() {
        if (str == null) {
            str = appended.toString();
            appended = null; // a document keeps one copy of its text; appending again starts a new builder
        }
        return str;
    }

    /**
     * Appends {@code right}'s text to this content, in place, and returns it; only for the document model's merge of
     * two adjacent items (this content belongs to the left one, and nothing else refers to it).
     */
    public ContentString append(ContentString right) {
        if (appended == null) {
            appended = new StringBuilder(Math.max(16, 2 * (str.length() + right.str().length()))).append(str);
        }
        appended.append(right.str());
        str = null;
        return this;
    }

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return str != null ? str.length() : appended.length();
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        // a write with an offset keeps a lone low surrogate; UTF-8 then writes it as U+FFFD (as yjs)
        encoder.writeString(offset == 0 ? str() : str().substring((int) offset));
    }

    /** yjs issue #248: a split inside a surrogate pair replaces both halves with U+FFFD. */
    private boolean splitsPair(int offset) {
        return offset > 0 && Character.isHighSurrogate(str().charAt(offset - 1));
    }

    @Override
    public Content right(long offset) {
        int off = (int) offset;
        String right = str().substring(off);
        if (splitsPair(off)) {
            right = REPLACEMENT + right.substring(1);
        }
        return new ContentString(right);
    }

    @Override
    public Content left(long offset) {
        int off = (int) offset;
        if (splitsPair(off)) {
            return new ContentString(str().substring(0, off - 1) + REPLACEMENT);
        }
        return new ContentString(str().substring(0, off));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentString other && str().equals(other.str());
    }

    @Override
    public int hashCode() {
        return str().hashCode();
    }

    @Override
    public String toString() {
        return "ContentString[str=" + str() + "]";
    }
}
