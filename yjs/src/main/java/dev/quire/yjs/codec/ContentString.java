package dev.quire.yjs.codec;

import java.util.Objects;

/**
 * Ref 4: text; its length is in UTF-16 code units, as in JavaScript.
 *
 * <p>A value, except for {@link #append}: the document model merges a typed run into one item the way yjs's
 * {@code mergeWith} does, in place. Appending to a {@code String} would copy the whole run on every typed
 * character (JavaScript's strings concatenate without copying), so appends go to a builder and the string is
 * made again only when read whole. Encoding the tail of a run (a transaction's update names only the characters it
 * added, at an offset into the merged item) and splitting read the builder directly, so that a client typing at
 * the end of a long run costs the characters it typed, not the run.
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

    /** The text without making a String of a builder. */
    private CharSequence text() {
        return str != null ? str : appended;
    }

    @Override
    public long length() {
        return text().length();
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        // a write with an offset keeps a lone low surrogate; UTF-8 then writes it as U+FFFD (as yjs)
        CharSequence text = text();
        encoder.writeString(offset == 0 ? text.toString() : text.subSequence((int) offset, text.length()).toString());
    }

    /** yjs issue #248: a split inside a surrogate pair replaces both halves with U+FFFD. */
    private boolean splitsPair(int offset) {
        return offset > 0 && Character.isHighSurrogate(text().charAt(offset - 1));
    }

    @Override
    public Content right(long offset) {
        int off = (int) offset;
        CharSequence text = text();
        String right = text.subSequence(off, text.length()).toString();
        if (splitsPair(off)) {
            right = REPLACEMENT + right.substring(1);
        }
        return new ContentString(right);
    }

    @Override
    public Content left(long offset) {
        int off = (int) offset;
        if (splitsPair(off)) {
            return new ContentString(text().subSequence(0, off - 1).toString() + REPLACEMENT);
        }
        return new ContentString(text().subSequence(0, off).toString());
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
