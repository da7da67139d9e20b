package dev.quire.server.protocol;

/**
 * A decoded client frame. Document frames carry the address exactly as received ({@code addressBytes}),
 * because Hocuspocus providers drop answers whose address differs by a byte; the document name is the
 * part before a {@code \0} (v4 session awareness).
 */
public sealed interface IncomingMessage {

    /** v4 provider's bare Pong byte ({@code 0x0A}): proof of life, nothing else. */
    record Pong() implements IncomingMessage {
    }

    /** Common part of every document frame. */
    sealed interface DocumentMessage extends IncomingMessage {
        Address address();
    }

    record SyncStep1(Address address, boolean reply, byte[] stateVector) implements DocumentMessage {
    }

    record SyncStep2(Address address, boolean reply, byte[] update) implements DocumentMessage {
    }

    record Update(Address address, boolean reply, byte[] update) implements DocumentMessage {
    }

    record Awareness(Address address, byte[] update) implements DocumentMessage {
    }

    /** Auth Token; {@code providerVersion} is null for providers older than v4. */
    record AuthToken(Address address, String token, String providerVersion) implements DocumentMessage {
    }

    record QueryAwareness(Address address) implements DocumentMessage {
    }

    record Stateless(Address address, String payload) implements DocumentMessage {
    }

    /** Server-to-server only; a client sending it is refused. */
    record BroadcastStateless(Address address, String payload) implements DocumentMessage {
    }

    /** The client detaches this document (the socket stays open). */
    record Close(Address address) implements DocumentMessage {
    }
}
