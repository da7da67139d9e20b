package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.AwarenessUpdate.Entry;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two deployments on one Redis (each its own Kafka topic and PostgreSQL schema, as {@link ItEnv} makes them) with a
 * document of the same name: neither awareness nor relayed updates cross between them, while the fronts of one
 * deployment still exchange both. {@code QUIRE_REDIS_PREFIX}, not the topic, decides when it is set.
 */
@Timeout(300)
class RedisDeploymentsIT {
    private static final String REDIS = ItEnv.sys("QUIRE_REDIS_URL", "redis://127.0.0.1:6379");
    private final ItEnv one = new ItEnv().with("QUIRE_REDIS_URL", REDIS);
    private final ItEnv two = new ItEnv().with("QUIRE_REDIS_URL", REDIS);
    private final ItEnv three = new ItEnv().with("QUIRE_REDIS_URL", REDIS);

    @AfterEach
    void cleanUp() throws Exception {
        one.close();
        two.close();
        three.close();
    }

    /** A raw Hocuspocus client on {@code document}, authenticated and past the sync handshake. */
    private static RawClient joined(FrontServer front, String document) throws Exception {
        RawClient c = new RawClient("ws://127.0.0.1:" + front.port() + "/hocuspocus");
        Address address = Address.of(document);
        c.send(RawClient.auth(document, "any", "4.7.0"));
        assertThat(c.next()).isEqualTo(HocuspocusCodec.authenticated(address, false));
        c.send(HocuspocusCodec.syncStep1(address, new byte[] {0}));
        return c;
    }

    private static byte[] awareness(String document, long client, String state) {
        return HocuspocusCodec.awareness(Address.of(document), new AwarenessUpdate(List.of(new Entry(client, 1, state))).encode());
    }

    private static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void deploymentsWithDifferentTopicsOnOneRedisExchangeNothing() throws Exception {
        String doc = "shared-" + one.id; // the same name in both deployments
        Address address = Address.of(doc);
        YDoc author = new YDoc(11, true);
        List<byte[]> updates = new ArrayList<>();
        author.onUpdate((u, tr) -> updates.add(u));
        author.getText("t").insert(0, "deployment one");

        try (FrontServer a1 = one.start(); FrontServer b1 = one.start(); FrontServer a2 = two.start();
             RawClient onA2 = joined(a2, doc); RawClient onB1 = joined(b1, doc); RawClient writer1 = joined(a1, doc);
             RawClient writer2 = joined(a2, doc)) {
            Thread.sleep(500); // every front has subscribed to the document's channels
            Frames seenOnA2 = new Frames();
            Frames seenOnB1 = new Frames();
            seenOnA2.drain(onA2);
            seenOnB1.drain(onB1);
            long syncFramesOnA2 = seenOnA2.syncFrames();
            long syncFramesOnB1 = seenOnB1.syncFrames();

            writer1.send(awareness(doc, 11, "{\"user\":\"one\"}"));
            writer1.send(HocuspocusCodec.update(address, updates.get(0)));
            writer2.send(awareness(doc, 22, "{\"user\":\"two\"}"));
            await("deployment one's other front got its awareness and update",
                    () -> seenOnB1.drain(onB1).clientIds().contains(11L) && seenOnB1.syncFrames() > syncFramesOnB1);
            await("the relay counted on deployment one's other front", () -> metric(b1, "quire_updates_relayed_total") >= 1);
            Thread.sleep(1000); // anything crossing would have arrived by now (Redis delivers in milliseconds)

            assertThat(seenOnA2.drain(onA2).clientIds()).as("awareness on deployment two").contains(22L).doesNotContain(11L);
            assertThat(seenOnA2.syncFrames()).as("document updates on deployment two").isEqualTo(syncFramesOnA2);
            assertThat(metric(a2, "quire_updates_relayed_total")).as("updates relayed to deployment two").isZero();
            assertThat(seenOnB1.clientIds()).as("awareness on deployment one").doesNotContain(22L);

            // a front of deployment two that opens the document later reads the stored states of its own deployment only
            try (FrontServer c2 = two.start(); RawClient late = joined(c2, doc)) {
                Frames seen = new Frames();
                await("deployment two's stored state", () -> seen.drain(late).clientIds().contains(22L));
                Thread.sleep(500);
                assertThat(seen.drain(late).clientIds()).doesNotContain(11L);
            }
        }
    }

    @Test
    void theRedisPrefixSettingDecidesWhoExchanges() throws Exception {
        String doc = "prefixed-" + one.id;
        // deployment three names itself as deployment one by default would (another topic): they now share Redis names
        String onesDefault = "quire:" + one.env.get("QUIRE_KAFKA_TOPIC") + ":";
        three.with("QUIRE_REDIS_PREFIX", onesDefault);
        two.with("QUIRE_REDIS_PREFIX", "quire-it-" + two.id + ":");
        try (FrontServer a1 = one.start(); FrontServer a2 = two.start(); FrontServer a3 = three.start();
             RawClient on2 = joined(a2, doc); RawClient on3 = joined(a3, doc); RawClient writer1 = joined(a1, doc)) {
            Thread.sleep(500);
            writer1.send(awareness(doc, 11, "{\"user\":\"one\"}"));
            Frames seenOn3 = new Frames();
            await("deployment one's awareness on the front that shares its prefix", () -> seenOn3.drain(on3).clientIds().contains(11L));
            Thread.sleep(500);
            assertThat(new Frames().drain(on2).clientIds()).as("a front with its own prefix").doesNotContain(11L);
        }
    }

    private static double metric(FrontServer front, String name) {
        try {
            return ItEnv.metric(front, name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
