package dev.quire.yjs;

/**
 * The one exception every decoder in this module throws for bytes that are not a valid Yjs update,
 * state vector or lib0 value: truncated input, invalid varints, unknown tags, hostile sizes.
 *
 * <p>It carries the absolute byte offset in the input where decoding failed and a {@link Reason}, so
 * an operator can find the bad byte in a quarantined record. Nothing else escapes a decoder: callers
 * at the network edge catch this one type and reject the input.
 */
public final class MalformedUpdateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why decoding failed. */
    public enum Reason {
        /** The input ended before a value was complete. */
        TRUNCATED,
        /** A variable-length integer is longer than 2^53-1 allows. */
        INVALID_VAR_INT,
        /** A length prefix is larger than the bytes that remain. */
        LENGTH_EXCEEDS_INPUT,
        /** A string is not valid UTF-8. */
        INVALID_UTF8,
        /** An {@code any} value has an unknown tag byte. */
        UNKNOWN_ANY_TAG,
        /** A struct's info byte names a content kind that does not exist. */
        UNKNOWN_CONTENT_REF,
        /** A type content names a type ref outside 0..6. */
        UNKNOWN_TYPE_REF,
        /** A JSON payload (v1 embed, format value, JSON content) does not parse. */
        INVALID_JSON,
        /** A value is out of its allowed range (negative clock, zero-length struct, clock overflow...). */
        INVALID_VALUE,
        /** Decoding would produce more structs or values than the input can reasonably describe. */
        HOSTILE_SIZE,
        /** Bytes remain after a complete value where none are allowed. */
        TRAILING_BYTES
    }

    private final Reason reason;
    private final long offset;

    public MalformedUpdateException(Reason reason, long offset, String message) {
        super(message + " (" + reason + " at byte " + offset + ")");
        this.reason = reason;
        this.offset = offset;
    }

    public MalformedUpdateException(Reason reason, long offset, String message, Throwable cause) {
        this(reason, offset, message);
        initCause(cause);
    }

    /** Why decoding failed. */
    public Reason reason() {
        return reason;
    }

    /** Absolute offset in the input at which the problem was detected (0-based). */
    public long offset() {
        return offset;
    }
}
