package dev.quire.yjs.codec;

/**
 * The payload of an {@link Item}. One implementation per yjs content kind; the ref is the number in
 * the low five bits of the info byte. Contents are immutable.
 */
public sealed interface Content permits ContentDeleted, ContentJSON, ContentBinary, ContentString, ContentEmbed,
        ContentFormat, ContentType, ContentAny, ContentDoc {

    /** The content ref (1..9). */
    int ref();

    /** Clock units this content covers (UTF-16 units for strings). */
    long length();

    /** Whether the content counts towards a type's length (false for deleted content and formats). */
    boolean countable();

    /** Writes the content without its first {@code offset} units (yjs {@code content.write(encoder, offset)}). */
    void write(UpdateEncoder encoder, long offset);

    /**
     * The part from {@code offset} on, as yjs {@code splice} returns it (for strings a surrogate pair cut
     * in two becomes U+FFFD on both sides). Only splittable kinds (length > 1) support it.
     */
    default Content right(long offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be split");
    }

    /** The part before {@code offset}, as yjs {@code splice} leaves it. */
    default Content left(long offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be split");
    }
}
