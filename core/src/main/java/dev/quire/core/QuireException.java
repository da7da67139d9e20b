package dev.quire.core;

/** Root of Quire's own exceptions (the yjs module's {@code MalformedUpdateException} stands alone: yjs depends on nothing). */
public class QuireException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuireException(String message) {
        super(message);
    }

    public QuireException(String message, Throwable cause) {
        super(message, cause);
    }
}
