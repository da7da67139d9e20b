package dev.quire.server.hub;

import java.util.function.BiConsumer;

/**
 * Carries awareness updates (cursors, presence) between fronts, and relays document updates beside the durable
 * Kafka path so other fronts' clients see an edit without waiting for Kafka's round trip (Yjs updates are
 * idempotent: the copy that arrives later from Kafka changes nothing). The hub publishes what its local clients
 * send; other fronts' messages come back through the listeners. A bus must never throw into the hub: failures
 * degrade to local-only awareness, and documents to the Kafka path alone.
 */
public interface AwarenessBus extends AutoCloseable {
    /** Starts delivering other fronts' updates as (document, awareness update bytes). */
    void start(BiConsumer<String, byte[]> remoteUpdates);

    /** Publishes a local client's awareness update of {@code document} (encoded as y-protocols does). */
    void publish(String document, byte[] awarenessUpdate);

    /** Publishes an update a local client made to {@code document}, already applied here (best effort). */
    default void publishUpdate(String document, byte[] update) {
    }

    /** Starts delivering other fronts' relayed document updates as (document, v1 update). */
    default void onDocumentUpdates(BiConsumer<String, byte[]> relayed) {
    }

    /** The front opened {@code document}: start receiving its updates (and learn its current states). */
    void subscribe(String document);

    /** The front unloaded {@code document}. */
    void unsubscribe(String document);

    @Override
    void close();

    /** No other fronts: awareness stays among this front's clients. */
    static AwarenessBus local() {
        return new AwarenessBus() {
            @Override
            public void start(BiConsumer<String, byte[]> remoteUpdates) {
            }

            @Override
            public void publish(String document, byte[] awarenessUpdate) {
            }

            @Override
            public void subscribe(String document) {
            }

            @Override
            public void unsubscribe(String document) {
            }

            @Override
            public void close() {
            }
        };
    }
}
