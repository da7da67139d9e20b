package dev.quire.server.hub;

/**
 * One client connection to one document, as the hub sees it; the endpoint that owns the socket frames the
 * messages for its protocol (Hocuspocus with an address, or plain y-websocket).
 */
public interface DocumentPeer {
    /** Unique per connection (written into the connection header of Kafka records). */
    String id();

    boolean readOnly();

    void sendSyncStep1(byte[] stateVector);

    void sendSyncStep2(byte[] update);

    void sendUpdate(byte[] update);

    void sendAwareness(byte[] awarenessUpdate);

    /** Whether the last update was applied; ignored by protocols without acknowledgements. */
    void sendSyncStatus(boolean applied);

    /** Ends this document connection with a reason (the socket may stay open for other documents). */
    void closeDocument(String reason);

    /**
     * Closes the socket with 4205 (Reset Connection): providers reconnect on their own and re-send, through the
     * sync handshake, every change the server did not acknowledge. (After a document-level close a v4 provider
     * would wait for the application to re-attach it.)
     */
    void reset(String reason);
}
