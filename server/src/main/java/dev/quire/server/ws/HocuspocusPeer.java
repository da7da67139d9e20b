package dev.quire.server.ws;

import dev.quire.server.hub.DocumentPeer;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.HocuspocusCodec;

/** A document connection on a Hocuspocus socket: frames carry the address exactly as the client sent it. */
final class HocuspocusPeer implements DocumentPeer {
    private final String id;
    private final Address address;
    private final boolean readOnly;
    private final SocketSender sender;
    private final Runnable onClosed;
    private final boolean knowsCloseMessage;

    /**
     * @param knowsCloseMessage whether the provider handles the CLOSE message (v4 providers, which send their
     *     version with the token); older ones would throw on it, so their whole socket is closed instead
     */
    HocuspocusPeer(String id, Address address, boolean readOnly, SocketSender sender, Runnable onClosed, boolean knowsCloseMessage) {
        this.knowsCloseMessage = knowsCloseMessage;
        this.id = id;
        this.address = address;
        this.readOnly = readOnly;
        this.sender = sender;
        this.onClosed = onClosed;
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
        sender.send(HocuspocusCodec.syncStep1(address, stateVector));
    }

    @Override
    public void sendSyncStep2(byte[] update) {
        sender.send(HocuspocusCodec.syncStep2(address, update));
    }

    @Override
    public void sendUpdate(byte[] update) {
        sender.send(HocuspocusCodec.update(address, update));
    }

    @Override
    public void sendAwareness(byte[] awarenessUpdate) {
        sender.send(HocuspocusCodec.awareness(address, awarenessUpdate));
    }

    @Override
    public void sendSyncStatus(boolean applied) {
        sender.send(HocuspocusCodec.syncStatus(address, applied));
    }

    @Override
    public void closeDocument(String reason) {
        if (knowsCloseMessage) {
            sender.send(HocuspocusCodec.close(address, reason));
        } else {
            sender.close(dev.quire.server.protocol.CloseCode.RESET_CONNECTION.code(), reason);
        }
        onClosed.run();
    }

    @Override
    public void reset(String reason) {
        sender.close(dev.quire.server.protocol.CloseCode.RESET_CONNECTION.code(), reason);
    }
}
