package dev.quire.server.protocol;

import dev.quire.core.QuireException;

/** A frame a client sent that breaks the protocol; carries the close code to answer with. */
public final class ProtocolException extends QuireException {
    private static final long serialVersionUID = 1L;
    private final CloseCode closeCode;

    public ProtocolException(CloseCode closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    public ProtocolException(CloseCode closeCode, String message, Throwable cause) {
        super(message, cause);
        this.closeCode = closeCode;
    }

    public CloseCode closeCode() {
        return closeCode;
    }
}
