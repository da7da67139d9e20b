package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An update that arrives before one it depends on changes nothing when it arrives: its structs wait (yjs's pending
 * structs) until the gap is filled. It happens whenever a front receives updates out of order, as another front's
 * relay resumes after a Redis hiccup while the missed updates still come through Kafka. Such an update must be
 * stored and forwarded like any other. (Found by a long benchmark run: fronts dropped it as "known", so the log lost
 * it and every receiver held all later edits pending, forever.) Real fronts, Kafka, Redis and WebSocket clients.
 */
@Timeout(120)
class OutOfOrderUpdatesIT {
    private final ItEnv it = new ItEnv().with("QUIRE_REDIS_URL", ItEnv.sys("QUIRE_REDIS_URL", "redis://127.0.0.1:6379"));

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void anUpdateThatWaitsForAnEarlierOneIsStoredAndReachesEveryClient() throws Exception {
        String name = "gap-" + it.id;
        Address address = Address.of(name);
        YDoc author = new YDoc(7, true);
        List<byte[]> updates = new ArrayList<>();
        author.onUpdate((u, tr) -> updates.add(u));
        author.getText("t").insert(0, "first ");
        author.getText("t").insert(6, "second"); // its left neighbour is "first ": it waits without it

        try (FrontServer a = it.start(); FrontServer b = it.start();
             RawClient onA = joined(a, name); RawClient onB = joined(b, name); RawClient writer = joined(a, name)) {
            YDoc seenOnA = new YDoc(8, true);
            YDoc seenOnB = new YDoc(9, true);
            drain(onA, seenOnA);
            drain(onB, seenOnB);

            writer.send(HocuspocusCodec.update(address, updates.get(1))); // the second edit first
            writer.send(HocuspocusCodec.update(address, updates.get(0)));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!(text(seenOnA).equals("first second") && text(seenOnB).equals("first second")) && System.nanoTime() < deadline) {
                drain(onA, seenOnA);
                drain(onB, seenOnB);
                Thread.sleep(20);
            }
            assertThat(text(seenOnA)).as("a client on the writer's front").isEqualTo("first second");
            assertThat(text(seenOnB)).as("a client on the other front").isEqualTo("first second");
            assertThat(seenOnA.hasPendingStructs()).isFalse();
            assertThat(seenOnB.hasPendingStructs()).isFalse();
            int acks = 0;
            for (byte[] f = writer.received.poll(10, TimeUnit.SECONDS); f != null && acks < 2; f = writer.received.poll(10, TimeUnit.SECONDS)) {
                if (java.util.Arrays.equals(f, HocuspocusCodec.syncStatus(address, true))) {
                    acks++;
                }
            }
            assertThat(acks).as("both edits acknowledged").isEqualTo(2);
        }
        YDoc fromLog = new YDoc(10, true);
        it.records((key, value) -> {
            if (key.equals(name)) {
                fromLog.applyUpdate(value);
            }
        });
        assertThat(text(fromLog)).as("the log holds both edits").isEqualTo("first second");
    }

    private static String text(YDoc doc) {
        return doc.getText("t").toString();
    }

    /** A raw Hocuspocus client on {@code name}, authenticated and past the sync handshake. */
    private static RawClient joined(FrontServer front, String name) throws Exception {
        RawClient c = new RawClient("ws://127.0.0.1:" + front.port() + "/hocuspocus");
        c.send(RawClient.auth(name, "any", "4.7.0"));
        Address address = Address.of(name);
        assertThat(c.next()).isEqualTo(HocuspocusCodec.authenticated(address, false));
        c.send(HocuspocusCodec.syncStep1(address, new byte[] {0}));
        return c;
    }

    /** Applies the document updates (SyncStep2 and Update) that {@code c} received so far to {@code doc}. */
    private static void drain(RawClient c, YDoc doc) {
        for (byte[] f = c.received.poll(); f != null; f = c.received.poll()) {
            Lib0Reader r = new Lib0Reader(f);
            r.readVarString();
            if (r.readVarUint() == 0 && r.readVarUint() != 0) { // Sync, not SyncStep1
                doc.applyUpdate(r.readVarUint8Array());
            }
        }
    }
}
