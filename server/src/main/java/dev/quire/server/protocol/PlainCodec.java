package dev.quire.server.protocol;

import dev.quire.server.protocol.IncomingMessage.Awareness;
import dev.quire.server.protocol.IncomingMessage.QueryAwareness;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.Lib0Writer;

/**
 * The plain y-websocket protocol: one document per socket (named in the URL), frames are
 * {@code varUint type | payload} without an address: 0 sync (the same sub-messages as Hocuspocus), 1
 * awareness, 2 auth (permission denied), 3 query awareness.
 */
public final class PlainCodec {
    static final int SYNC = 0;
    static final int AWARENESS = 1;
    static final int QUERY_AWARENESS = 3;

    private PlainCodec() {
    }

    /** Decodes a client frame; the address stands for the socket's document. */
    public static IncomingMessage decode(byte[] frame, Address address) {
        try {
            Lib0Reader in = new Lib0Reader(frame);
            long type = in.readVarUint();
            if (type == SYNC) {
                long sub = in.readVarUint();
                byte[] payload = in.readVarUint8Array();
                if (sub == HocuspocusCodec.SYNC_STEP_1) {
                    return new IncomingMessage.SyncStep1(address, false, payload);
                }
                if (sub == HocuspocusCodec.SYNC_STEP_2) {
                    return new IncomingMessage.SyncStep2(address, false, payload);
                }
                if (sub == HocuspocusCodec.SYNC_UPDATE) {
                    return new IncomingMessage.Update(address, false, payload);
                }
                throw new ProtocolException(CloseCode.RESET_CONNECTION, "unknown sync message type " + sub);
            }
            if (type == AWARENESS) {
                return new Awareness(address, in.readVarUint8Array());
            }
            if (type == QUERY_AWARENESS) {
                return new QueryAwareness(address);
            }
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "unknown message type " + type);
        } catch (MalformedUpdateException e) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "malformed frame: " + e.getMessage(), e);
        }
    }

    private static byte[] sync(int sub, byte[] payload) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(SYNC);
        w.writeVarUint(sub);
        w.writeVarUint8Array(payload);
        return w.toByteArray();
    }

    public static byte[] syncStep1(byte[] stateVector) {
        return sync(HocuspocusCodec.SYNC_STEP_1, stateVector);
    }

    public static byte[] syncStep2(byte[] update) {
        return sync(HocuspocusCodec.SYNC_STEP_2, update);
    }

    public static byte[] update(byte[] update) {
        return sync(HocuspocusCodec.SYNC_UPDATE, update);
    }

    public static byte[] awareness(byte[] awarenessUpdate) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(AWARENESS);
        w.writeVarUint8Array(awarenessUpdate);
        return w.toByteArray();
    }
}
