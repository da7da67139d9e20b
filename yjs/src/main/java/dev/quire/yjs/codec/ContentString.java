package dev.quire.yjs.codec;

import java.util.Objects;

/**
 * Ref 4: text; its length is in UTF-16 code units, as in JavaScript.
 *
 * <p>A value, except for {@link #append}: the document model merges a typed run into one item the way yjs's
 * {@code mergeWith} does, in place. JavaScript strings concatenate and slice without copying; Java's copy, so a run
 * typed (or re-split and re-merged) one character at a time would copy the whole run each time. The text therefore
 * lives in an append-only buffer that the contents split from one run share, each a range of it: splitting makes two
 * ranges, merging two neighbouring ranges back is a change of bounds, and appending writes to the buffer in place
 * when nothing follows this range in it (appends never change a range already handed out). yjs splits and re-merges
 * the run around every struct an update repeats (its {@code getMissing} cuts the store at the origin even for known
 * structs), which a front does for each Kafka copy of an update the relay already brought.
 */
public final class ContentString implements Content {
    public static final int REF = 4;
    private static final char REPLACEMENT = '\uFFFD';

    /** The text, when this content is a plain string (null when it is a range of {@link #buf}). */
    private String str;
    /** The shared buffer this content is the range [start, end) of, or null. */
    private StringBuilder buf;
    private int start;
    private int end;

    public ContentString(String str) {
        this.str = Objects.requireNonNull(str);
    }

    private ContentString(StringBuilder buf, int start, int end) {
        this.buf = buf;
        this.start = start;
        this.end = end;
    }

    /** The text (a copy when this content is a range of a buffer). */
    public String str() {
        return str != null ? str : buf.substring(start, end);
    }

    /** Appends the text to {@code out} without making a String of it first. */
    public void appendTo(StringBuilder out) {
        if (str != null) {
            out.append(str);
        } else {
            out.append(buf, start, end);
        }
    }

    private int len() {
        return str != null ? str.length() : end - start;
    }

    private char charAt(int i) {
        return str != null ? str.charAt(i) : buf.charAt(start + i);
    }

    /** The characters [from, to) of this content, as a String. */
    private String slice(int from, int to) {
        return str != null ? str.substring(from, to) : buf.substring(start + from, start + to);
    }

    /** The characters [from, to) of this content, sharing the buffer when there is one. */
    private ContentString range(int from, int to) {
        return str != null ? new ContentString(str.substring(from, to)) : new ContentString(buf, start + from, start + to);
    }

    /**
     * Appends {@code right}'s text to this content, in place, and returns it; only for the document model's merge of
     * two adjacent items (this content belongs to the left one, and nothing else refers to it).
     */
    public ContentString append(ContentString right) {
        if (buf != null && right.buf == buf && right.start == end) {
            end = right.end; // the other half of a split: nothing to copy
            return this;
        }
        if (buf == null || end != buf.length()) { // a buffer of its own: other text follows this range in the shared one
            StringBuilder own = new StringBuilder(Math.max(16, 2 * (len() + right.len())));
            appendTo(own);
            buf = own;
            start = 0;
            end = own.length();
            str = null;
        }
        right.appendTo(buf);
        end = buf.length();
        return this;
    }

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return len();
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        // a write with an offset keeps a lone low surrogate; UTF-8 then writes it as U+FFFD (as yjs)
        encoder.writeString(offset == 0 ? str() : slice((int) offset, len()));
    }

    /** yjs issue #248: a split inside a surrogate pair replaces both halves with U+FFFD. */
    private boolean splitsPair(int offset) {
        return offset > 0 && Character.isHighSurrogate(charAt(offset - 1));
    }

    @Override
    public Content right(long offset) {
        int off = (int) offset;
        if (splitsPair(off)) {
            return new ContentString(REPLACEMENT + slice(off + 1, len()));
        }
        return range(off, len());
    }

    @Override
    public Content left(long offset) {
        int off = (int) offset;
        if (splitsPair(off)) {
            return new ContentString(slice(0, off - 1) + REPLACEMENT);
        }
        return range(0, off);
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
