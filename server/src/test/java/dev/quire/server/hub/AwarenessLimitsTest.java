package dev.quire.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
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
 * What a client's awareness may put into a document's hub, with the defaults (8 client ids per connection, 64 KiB per
 * state): a state that is not JSON, too large a state and too many client ids are refused before anything is kept or
 * published to the other fronts; states from other fronts that are not JSON are dropped. No Kafka: awareness never
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

    private static byte[] clients(long first, int n, long clock) {
        List<Entry> entries = new ArrayList<>();
        for (long c = first; c < first + n; c++) {
            entries.add(new Entry(c, clock, "{\"user\":" + c + "}"));
        }
        return new AwarenessUpdate(entries).encode();
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
    void aStateOverTheLimitIsRefusedAndOneAtTheLimitIsNot() throws Exception {
        String atLimit = "\"" + "x".repeat(64 * 1024 - 2) + "\"";
        assertThatCode(() -> hub.awareness(sender, "d", update(1, 1, atLimit))).doesNotThrowAnyException();
        String big = "{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}";
        assertThatThrownBy(() -> hub.awareness(sender, "d", update(2, 1, big)))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("awareness state of client 2 is " + (100 * 1024 + 10) + " bytes")
                .hasMessageContaining("QUIRE_MAX_AWARENESS_STATE_BYTES");
        settle();
        assertThat(other.clientIds()).containsExactly(1L);
        assertThat(bus.published).hasSize(1);
    }

    @Test
    void nineClientIdsInOneFrameCloseTheConnectionAndNothingIsKept() throws Exception {
        hub.awareness(sender, "d", clients(1, 9, 1));
        settle();
        assertThat(sender.closed).singleElement().asString().contains("more than 8 client ids").contains("QUIRE_MAX_AWARENESS_CLIENTS");
        assertThat(other.awareness).isEmpty();
        assertThat(bus.published).isEmpty();
    }

    @Test
    void theNinthClientIdOverSeveralFramesClosesTheConnection() throws Exception {
        for (long c = 1; c <= 8; c++) {
            hub.awareness(sender, "d", update(c, 1, "{}"));
        }
        settle();
        assertThat(sender.closed).as("eight is the default limit").isEmpty();
        hub.awareness(sender, "d", update(9, 1, "{}"));
        settle();
        assertThat(sender.closed).singleElement().asString().contains("more than 8 client ids");
        assertThat(other.clientIds()).as("the ninth never reached anyone").doesNotContain(9L).hasSize(8);
        assertThat(bus.published).hasSize(8);
    }

    @Test
    void aRemovedClientIdFreesItsPlace() throws Exception {
        hub.awareness(sender, "d", clients(1, 8, 1));
        hub.awareness(sender, "d", update(3, 2, "null"));
        hub.awareness(sender, "d", update(9, 1, "{}"));
        settle();
        assertThat(sender.closed).isEmpty();
    }

    @Test
    void echoesOfOtherClientsStatesDoNotCount() throws Exception {
        // providers before v4 and y-websocket send every change they receive back to the server, at the same clock
        List<Peer> others = new ArrayList<>();
        for (long c = 100; c < 112; c++) {
            Peer p = new Peer("p" + c);
            others.add(p);
            hub.attach(p, "d");
            hub.awareness(p, "d", update(c, 3, "{\"user\":" + c + "}"));
        }
        settle();
        hub.awareness(sender, "d", clients(100, 12, 3));
        hub.awareness(sender, "d", update(1, 1, "{\"me\":true}"));
        settle();
        assertThat(sender.closed).isEmpty();
        assertThat(others).allSatisfy(p -> assertThat(p.closed).isEmpty());
    }

    @Test
    void aConnectionOverTheLimitDoesNotDisturbTheOthers() throws Exception {
        hub.awareness(other, "d", update(50, 1, "{\"user\":\"other\"}"));
        hub.awareness(sender, "d", clients(1, 20, 1));
        settle();
        assertThat(sender.closed).hasSize(1);
        assertThat(other.closed).isEmpty();
        Peer late = new Peer("late");
        hub.attach(late, "d");
        settle();
        assertThat(late.clientIds()).containsExactly(50L);
    }

    @Test
    void theLimitsAreSettings() throws Exception {
        hub.limitAwareness(2, 100);
        hub.awareness(sender, "d", clients(1, 2, 1));
        assertThatThrownBy(() -> hub.awareness(sender, "d", update(3, 1, "\"" + "x".repeat(100) + "\"")))
                .hasMessageContaining("102 bytes, over the limit of 100");
        hub.awareness(sender, "d", update(3, 1, "{}"));
        settle();
        assertThat(sender.closed).singleElement().asString().contains("more than 2 client ids");
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
