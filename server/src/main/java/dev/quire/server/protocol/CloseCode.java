package dev.quire.server.protocol;

/** WebSocket close codes Quire sends (RFC 6455 and Hocuspocus {@code common/src/CloseEvents.ts}). */
public enum CloseCode {
    /** A normal close (server shutdown, idle document unloaded). */
    NORMAL(1000, "Normal Closure"),
    /** The server is restarting or shutting down. */
    GOING_AWAY(1001, "Going Away"),
    /** A frame broke the protocol (not binary, undecodable). */
    PROTOCOL_ERROR(1002, "Protocol Error"),
    /** A frame was larger than the configured maximum. */
    MESSAGE_TOO_BIG(1009, "Message Too Big"),
    /** The server cannot take this socket now (too many unauthenticated sockets from its address): retry later. */
    TRY_AGAIN_LATER(1013, "Try Again Later"),
    /** An unexpected server error; the reason says which. */
    INTERNAL_ERROR(1011, "Internal Error"),
    /** Too many messages or documents before authentication, or a malformed frame: reconnect from scratch. */
    RESET_CONNECTION(4205, "Reset Connection"),
    /** The request cannot be served as it is (a y-websocket path naming no valid document); the reason says why. */
    BAD_REQUEST(4400, "Bad Request"),
    /** The frame's address could not be read, or the token is not valid. */
    UNAUTHORIZED(4401, "Unauthorized"),
    /** The token does not allow this document. */
    FORBIDDEN(4403, "Forbidden"),
    /** Nothing was received for longer than the idle timeout. */
    CONNECTION_TIMEOUT(4408, "Connection Timeout"),
    /** The client sent more messages per second than allowed. */
    RATE_LIMITED(4429, "Too Many Messages");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }
}
