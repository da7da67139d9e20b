package dev.quire.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.AwarenessUpdate.Entry;
import dev.quire.server.protocol.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client's awareness may put into a document's hub: a state that is not JSON is refused before anything is kept
 * or published to the other fronts; states from other fronts that are not JSON are dropped. No Kafka: awareness never
 * writes to the log.
 */
class AwarenessLimitsTest {
    /** A connection that records what it is sent and why it was closed. */
    static class Peer implements DocumentPeer {
        final String id;
        final List<byte[]> awareness = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();

        Peer(String id) {
            this.id = id;
        }

        @Override public String id() { return id; }
        @Override public boolean readOnly() { return true; }
        @Override public void sendSyncStep1(byte[] stateVector) { }
        @Override public void sendSyncStep2(byte[] update) { }
        @Override public void sendUpdate(byte[] update) { }
        @Override public void sendAwareness(byte[] update) { awareness.add(update); }
        @Override public void sendSyncStatus(boolean applied) { }
        @Override public void closeDocument(String reason) { closed.add(reason); }
        @Override public void reset(String reason) { closed.add(reason); }

        List<Long> clientIds() {
            List<Long> ids = new ArrayList<>();
            for (byte[] u : awareness) {
                for (Entry e : AwarenessUpdate.decode(u).entries()) {
                    ids.add(e.clientId());
                }
            }
            return ids;
        }

        List<String> states() {
            List<String> states = new ArrayList<>();
            for (byte[] u : awareness) {
                for (Entry e : AwarenessUpdate.decode(u).entries()) {
                    states.add(e.state());
                }
            }
            return states;
        }
    }

    /** Records what the hub publishes to the other fronts, and lets the test deliver theirs. */
    static final class Bus implements AwarenessBus {
        final List<byte[]> published = new CopyOnWriteArrayList<>();
        volatile BiConsumer<String, byte[]> remote;

        @Override public void start(BiConsumer<String, byte[]> remoteUpdates) { remote = remoteUpdates; }
        @Override public void publish(String document, byte[] awarenessUpdate) { published.add(awarenessUpdate); }
        @Override public void subscribe(String document) { }
        @Override public void unsubscribe(String document) { }
        @Override public void close() { }
    }

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ExecutorService loaders = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final DocumentHub hub = new DocumentHub(name -> List.of(), null, pool, loaders, timers, Duration.ofMinutes(1));
    private final Bus bus = new Bus();
    private final Peer sender = new Peer("sender");
    private final Peer other = new Peer("other");

    @BeforeEach
    void join() throws Exception {
        hub.useAwarenessBus(bus);
        hub.attach(sender, "d");
        hub.attach(other, "d");
        settle();
    }

    @AfterEach
    void stop() {
        hub.close();
        pool.shutdownNow();
        loaders.shutdownNow();
        timers.shutdownNow();
    }

    /** Waits until the document's thread has run everything queued so far (the hub's work is asynchronous). */
    private void settle() throws Exception {
        java.util.concurrent.CompletableFuture<Void> reached = new java.util.concurrent.CompletableFuture<>();
        Peer probe = new Peer("probe") {
            @Override
            public void sendSyncStep2(byte[] update) {
                reached.complete(null);
            }
        };
        hub.syncStep1(probe, "d", new byte[] {0}); // answered on the document's thread, behind everything queued before
        reached.get(5, TimeUnit.SECONDS);
    }

    private static byte[] update(long client, long clock, String state) {
        return new AwarenessUpdate(List.of(new Entry(client, clock, state))).encode();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "", " ", "{} {}", "{\"a\":1,}", "'x'", "NaN", "Infinity", "\uFEFF{}", "{\"a\":\"\\x\"}",
            "01", "{\"a\":1}}", "1.", "+1", "\"\\u12\"", "\"a\tb\"", "[1,,2]", "/*c*/{}", "{}//", "nul", "True", "\u00a0{}"})
    void aStateThatJsonParseRejectsIsRefusedBeforeAnythingIsKeptOrRelayed(String state) throws Exception {
        // each of these throws in JSON.parse (checked with node 20), so in every provider it would reach
        assertThatThrownBy(() -> hub.awareness(sender, "d", update(666, 1, state)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("awareness state of client 666 is not JSON");
        settle();
        assertThat(other.awareness).as("nothing reached the document's other connection").isEmpty();
        assertThat(bus.published).as("nothing was published to the other fronts").isEmpty();
        Peer late = new Peer("late");
        hub.attach(late, "d");
        settle();
        assertThat(late.awareness).as("a client joining later is given nothing").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"user\":{\"name\":\"ann\",\"color\":\"#f00\"},\"cursor\":null}", "42", "\"s\"", "[1,2]", "true",
            "\"\\ud800\"", "{\"a\":1e400}", "\t{}\r\n", "{\"__proto__\":1}"})
    void anyJsonValueIsAccepted(String state) throws Exception {
        // JSON.parse accepts each of these, and y-protocols keeps whatever it parses
        hub.awareness(sender, "d", update(1, 1, state));
        settle();
        assertThat(other.states()).containsExactly(state);
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void nullRemovesTheClientHoweverItIsSpaced() throws Exception {
        hub.awareness(sender, "d", update(1, 1, "{\"user\":\"ann\"}"));
        hub.awareness(sender, "d", update(1, 2, "null"));
        hub.awareness(sender, "d", update(2, 1, "{\"user\":\"bob\"}"));
        hub.awareness(sender, "d", update(2, 2, " null\n")); // JSON.parse gives null: a removal, for every provider
        settle();
        assertThat(sender.closed).isEmpty();
        assertThat(other.states()).containsExactly("{\"user\":\"ann\"}", "null", "{\"user\":\"bob\"}", "null");
        Peer late = new Peer("late");
        hub.attach(late, "d");
        settle();
        assertThat(late.awareness).as("both removed").isEmpty();
    }

    @Test
    void statesFromOtherFrontsThatAreNotJsonAreDroppedAndCounted() throws Exception {
        List<Entry> entries = List.of(new Entry(7, 1, "{\"user\":\"fine\"}"), new Entry(8, 1, "{not json"));
        bus.remote.accept("d", new AwarenessUpdate(entries).encode());
        bus.remote.accept("d", update(9, 1, "{not json either"));
        settle();
        assertThat(other.clientIds()).containsExactly(7L);
        assertThat(hub.remoteAwarenessDropped()).isEqualTo(2);
        Peer late = new Peer("late");
        hub.attach(late, "d");
        settle();
        assertThat(late.clientIds()).containsExactly(7L);
    }
}
