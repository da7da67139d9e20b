package dev.quire.server.hub;

import java.util.function.BiConsumer;

/**
 * Carries awareness updates (cursors, presence) between fronts. The hub publishes what its local clients
 * send; updates from other fronts come back through the listener given to {@link #start}. A bus must never
 * throw into the hub: failures degrade to local-only awareness.
 */
public interface AwarenessBus extends AutoCloseable {
    /** Starts delivering other fronts' updates as (document, awareness update bytes). */
    void start(BiConsumer<String, byte[]> remoteUpdates);

    /** Publishes a local client's awareness update of {@code document} (encoded as y-protocols does). */
    void publish(String document, byte[] awarenessUpdate);

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
