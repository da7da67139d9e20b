package dev.quire.server.protocol;

/**
 * Outer message types of the Hocuspocus protocol ({@code server/src/types.ts}); the number follows the
 * address in every document frame.
 */
public enum MessageType {
    /** y-protocols sync sub-message (SyncStep1, SyncStep2, Update). */
    SYNC(0),
    /** An awareness update (cursors, presence). */
    AWARENESS(1),
    /** Auth sub-message: Token (C→S), PermissionDenied and Authenticated (S→C). */
    AUTH(2),
    /** Asks for everyone's awareness; clients never send it, servers answer it between themselves. */
    QUERY_AWARENESS(3),
    /** Like SYNC, but a SyncStep1 is not answered with the receiver's own SyncStep1. */
    SYNC_REPLY(4),
    /** An application message with a string payload. */
    STATELESS(5),
    /** Server-to-server stateless broadcast; a client sending it is rejected. */
    BROADCAST_STATELESS(6),
    /** Closes one document connection (the socket stays open). */
    CLOSE(7),
    /** S→C: whether the client's last update was applied (1) or refused (0). */
    SYNC_STATUS(8),
    /** S→C, v4 providers only: a bare 0x09 byte without address. */
    PING(9),
    /** C→S, v4 providers: a bare 0x0A byte without address, the answer to PING. */
    PONG(10);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    private static final MessageType[] BY_CODE = values();

    /** The type for {@code code}, or null when there is none. */
    public static MessageType of(long code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[(int) code] : null;
    }
}
