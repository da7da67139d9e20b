package dev.quire.server.ws;

import dev.quire.server.hub.DocumentPeer;
import dev.quire.server.protocol.CloseCode;
import dev.quire.server.protocol.PlainCodec;

/** The one document of a plain y-websocket socket. y-websocket has no acknowledgements. */
final class PlainPeer implements DocumentPeer {
    private final String id;
    private final boolean readOnly;
    private final SocketSender sender;

    PlainPeer(String id, boolean readOnly, SocketSender sender) {
        this.id = id;
        this.readOnly = readOnly;
        this.sender = sender;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void sendSyncStep1(byte[] stateVector) {
        sender.send(PlainCodec.syncStep1(stateVector));
    }

    @Override
    public void sendSyncStep2(byte[] update) {
        sender.send(PlainCodec.syncStep2(update));
    }

    @Override
    public void sendUpdate(byte[] update) {
        sender.send(PlainCodec.update(update));
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
        sender.send(PlainCodec.awareness(awarenessUpdate));
    }

    @Override
    public void sendSyncStatus(boolean applied) {
        // y-websocket has no acknowledgement message
    }

    @Override
    public void closeDocument(String reason) {
        sender.close(CloseCode.RESET_CONNECTION.code(), reason);
    }

    @Override
    public void reset(String reason) {
        sender.close(CloseCode.RESET_CONNECTION.code(), reason);
    }
}
