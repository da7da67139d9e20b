package dev.quire.server.protocol;

import dev.quire.server.protocol.IncomingMessage.AuthToken;
import dev.quire.server.protocol.IncomingMessage.Awareness;
import dev.quire.server.protocol.IncomingMessage.BroadcastStateless;
import dev.quire.server.protocol.IncomingMessage.Close;
import dev.quire.server.protocol.IncomingMessage.Pong;
import dev.quire.server.protocol.IncomingMessage.QueryAwareness;
import dev.quire.server.protocol.IncomingMessage.Stateless;
import dev.quire.server.protocol.IncomingMessage.SyncStep1;
import dev.quire.server.protocol.IncomingMessage.SyncStep2;
import dev.quire.server.protocol.IncomingMessage.Update;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.Lib0Writer;

/**
 * The one owner of the Hocuspocus wire format: {@code varString address | varUint type | payload}
 * (see {@code shared/design/hocuspocus-protocol.md} section 1). Decoding never trusts lengths; every
 * problem is a {@link ProtocolException} with the close code Hocuspocus uses for it.
 */
public final class HocuspocusCodec {
    /** y-protocols sync sub-types. */
    static final int SYNC_STEP_1 = 0;
    static final int SYNC_STEP_2 = 1;
    static final int SYNC_UPDATE = 2;
    /** Auth sub-types (Hocuspocus numbering, not y-protocols'). */
    static final int AUTH_TOKEN = 0;
    static final int AUTH_PERMISSION_DENIED = 1;
    static final int AUTH_AUTHENTICATED = 2;
    private static final byte PONG_BYTE = 0x0A;
    private static final byte PING_BYTE = 0x09;

    private HocuspocusCodec() {
    }

    /** Reads just the address of a frame (for routing before the rest is trusted). */
    public static Address readAddress(byte[] frame) {
        try {
            Lib0Reader in = new Lib0Reader(frame);
            return address(in);
        } catch (MalformedUpdateException e) {
            throw new ProtocolException(CloseCode.UNAUTHORIZED, "the frame's address cannot be read: " + e.getMessage(), e);
        }
    }

    private static Address address(Lib0Reader in) {
        String text = in.readVarString(); // strict UTF-8, so re-encoding gives back the received bytes
        return new Address(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), text, Address.documentOf(text));
    }

    /** Decodes a client frame. */
    public static IncomingMessage decode(byte[] frame) {
        if (frame.length == 1 && frame[0] == PONG_BYTE) {
            return new Pong();
        }
        Address address = readAddress(frame);
        try {
            Lib0Reader in = new Lib0Reader(frame);
            in.readVarString();
            long typeCode = in.readVarUint();
            MessageType type = MessageType.of(typeCode);
            if (type == null) {
                throw new ProtocolException(CloseCode.RESET_CONNECTION, "unknown message type " + typeCode + " for " + address);
            }
            return switch (type) {
                case SYNC, SYNC_REPLY -> sync(in, address, type == MessageType.SYNC_REPLY);
                case AWARENESS -> new Awareness(address, in.readVarUint8Array());
                case AUTH -> auth(in, address);
                case QUERY_AWARENESS -> new QueryAwareness(address);
                case STATELESS -> new Stateless(address, in.readVarString());
                case BROADCAST_STATELESS -> new BroadcastStateless(address, in.readVarString());
                case CLOSE -> new Close(address);
                default -> throw new ProtocolException(CloseCode.RESET_CONNECTION,
                        "message type " + type + " is not sent by clients (" + address + ")");
            };
        } catch (MalformedUpdateException e) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "malformed frame for " + address + ": " + e.getMessage(), e);
        }
    }

    private static IncomingMessage sync(Lib0Reader in, Address address, boolean reply) {
        long sub = in.readVarUint();
        return switch ((int) Math.min(sub, Integer.MAX_VALUE)) {
            case SYNC_STEP_1 -> new SyncStep1(address, reply, in.readVarUint8Array());
            case SYNC_STEP_2 -> new SyncStep2(address, reply, in.readVarUint8Array());
            case SYNC_UPDATE -> new Update(address, reply, in.readVarUint8Array());
            default -> throw new ProtocolException(CloseCode.RESET_CONNECTION, "unknown sync message type " + sub + " for " + address);
        };
    }

    private static IncomingMessage auth(Lib0Reader in, Address address) {
        long sub = in.readVarUint();
        if (sub != AUTH_TOKEN) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "auth message type " + sub + " is not sent by clients (" + address + ")");
        }
        String token = in.readVarString();
        String version = in.hasContent() ? in.readVarString() : null;
        return new AuthToken(address, token, version);
    }

    // ---- outgoing ----------------------------------------------------------------------------

    private static Lib0Writer frame(Address address, MessageType type) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(address.raw().length);
        w.writeUint8Array(address.raw());
        w.writeVarUint(type.code());
        return w;
    }

    public static byte[] syncStep1(Address address, byte[] stateVector) {
        Lib0Writer w = frame(address, MessageType.SYNC);
        w.writeVarUint(SYNC_STEP_1);
        w.writeVarUint8Array(stateVector);
        return w.toByteArray();
    }

    public static byte[] syncStep2(Address address, byte[] update) {
        Lib0Writer w = frame(address, MessageType.SYNC);
        w.writeVarUint(SYNC_STEP_2);
        w.writeVarUint8Array(update);
        return w.toByteArray();
    }

    public static byte[] update(Address address, byte[] update) {
        Lib0Writer w = frame(address, MessageType.SYNC);
        w.writeVarUint(SYNC_UPDATE);
        w.writeVarUint8Array(update);
        return w.toByteArray();
    }

    public static byte[] awareness(Address address, byte[] awarenessUpdate) {
        Lib0Writer w = frame(address, MessageType.AWARENESS);
        w.writeVarUint8Array(awarenessUpdate);
        return w.toByteArray();
    }

    /** Authenticated with scope {@code read-write} or {@code readonly}. */
    public static byte[] authenticated(Address address, boolean readOnly) {
        Lib0Writer w = frame(address, MessageType.AUTH);
        w.writeVarUint(AUTH_AUTHENTICATED);
        w.writeVarString(readOnly ? "readonly" : "read-write");
        return w.toByteArray();
    }

    public static byte[] permissionDenied(Address address, String reason) {
        Lib0Writer w = frame(address, MessageType.AUTH);
        w.writeVarUint(AUTH_PERMISSION_DENIED);
        w.writeVarString(reason);
        return w.toByteArray();
    }

    public static byte[] syncStatus(Address address, boolean applied) {
        Lib0Writer w = frame(address, MessageType.SYNC_STATUS);
        w.writeVarUint(applied ? 1 : 0);
        return w.toByteArray();
    }

    /** Closes one document connection; v2 providers do not know this type (do not send it to them). */
    public static byte[] close(Address address, String reason) {
        Lib0Writer w = frame(address, MessageType.CLOSE);
        w.writeVarString(reason);
        return w.toByteArray();
    }

    public static byte[] stateless(Address address, String payload) {
        Lib0Writer w = frame(address, MessageType.STATELESS);
        w.writeVarString(payload);
        return w.toByteArray();
    }

    /** v4 providers only: the bare ping byte, without address. */
    public static byte[] ping() {
        return new byte[] {PING_BYTE};
    }
}
