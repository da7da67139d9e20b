package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.server.auth.JwtAuthenticatorTestTokens;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.AwarenessUpdate.Entry;
import dev.quire.server.protocol.HocuspocusCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Awareness one client sends must not break the other clients of its document: two fronts with JWT auth on real
 * Kafka, PostgreSQL and Redis, a read-only raw client on front A sending what the fronts must refuse, a raw observer
 * and a real {@code @hocuspocus/provider} on front B, and real providers joining afterwards on both fronts.
 */
@Timeout(300)
class AwarenessGuardIT {
    private static final String SECRET = "awareness-guard-it-secret-0123456789";
    private static ItEnv it;
    private static FrontServer a;
    private static FrontServer b;
    private static String writeToken;
    private static String readToken;

    @BeforeAll
    static void start() throws Exception {
        it = new ItEnv().with("QUIRE_AUTH", "jwt").with("QUIRE_JWT_SECRET", SECRET)
                .with("QUIRE_REDIS_URL", ItEnv.sys("QUIRE_REDIS_URL", "redis://127.0.0.1:6379"));
        a = it.start();
        b = it.start();
        writeToken = JwtAuthenticatorTestTokens.token(SECRET, "{}");
        readToken = JwtAuthenticatorTestTokens.token(SECRET, "{\"readOnly\":true}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        it.close();
    }

    private static String url(FrontServer f) {
        return "ws://127.0.0.1:" + f.port();
    }

    /** A raw Hocuspocus v4 client on {@code document}, authenticated. */
    private static RawClient joined(FrontServer front, String document, boolean readOnly) throws Exception {
        RawClient c = new RawClient(url(front) + "/hocuspocus");
        c.send(RawClient.auth(document, readOnly ? readToken : writeToken, "4.7.0"));
        assertThat(c.next()).isEqualTo(HocuspocusCodec.authenticated(Address.of(document), readOnly));
        return c;
    }

    private static byte[] awareness(String document, List<Entry> entries) {
        return HocuspocusCodec.awareness(Address.of(document), new AwarenessUpdate(entries).encode());
    }

    private static List<Long> ids(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }

    @Test
    void awarenessThatIsNotJsonClosesItsSendersDocumentAndReachesNobody() throws Exception {
        String doc = "json-" + it.id;
        try (ScriptedNode node = ScriptedNode.start("awareness-guard.mjs", url(a), url(b), doc, writeToken)) {
            node.await("ready", 60_000);
            try (RawClient observerB = joined(b, doc, true); RawClient attacker = joined(a, doc, true)) {
                attacker.send(awareness(doc, List.of(new Entry(666, 1, "{not json"))));
                String reason = Frames.awaitClose(attacker);
                System.out.println("AWARENESS GUARD: closed with: " + reason);
                assertThat(reason).contains("awareness state of client 666 is not JSON");
                assertThat(attacker.closeCode).as("only the document connection is closed").isNotDone();

                Thread.sleep(1000); // Redis relays within the 20 ms coalescing window
                try (RawClient lateRaw = joined(b, doc, true)) {
                    Thread.sleep(500);
                    assertThat(new Frames().drain(lateRaw).clientIds()).as("the state a raw client joining later is given")
                            .doesNotContain(666L);
                }
                assertThat(new Frames().drain(observerB).clientIds()).as("awareness a client on the other front was sent")
                        .isNotEmpty().doesNotContain(666L);

                node.send("attacked");
                JsonNode r = node.await("result", 90_000);
                System.out.println("AWARENESS GUARD: " + r);
                assertThat(r.path("error").isMissingNode()).as(r.toString()).isTrue();
                assertThat(r.path("errors").size()).as("exceptions in the providers: " + r.path("errors")).isZero();
                assertThat(r.path("wEditAcknowledged").asBoolean()).as("the watcher's next edit is acknowledged").isTrue();
                assertThat(r.path("LASynced").asBoolean()).as("a provider joining front A later syncs").isTrue();
                assertThat(r.path("LBSynced").asBoolean()).as("a provider joining front B later syncs").isTrue();
                assertThat(r.path("LAText").asText()).isEqualTo("before;after;");
                assertThat(r.path("LASeesW").asBoolean() && r.path("LBSeesW").asBoolean() && r.path("wSeesLateJoiners").asBoolean())
                        .as("awareness still works among the others").isTrue();
                assertThat(ids(r.path("seen"))).doesNotContain(666L);
            }
        }
    }

    @Test
    void tooManyClientIdsOrTooLargeAStateCloseTheirSendersDocumentAndOthersAreUnaffected() throws Exception {
        String doc = "caps-" + it.id;
        try (ScriptedNode node = ScriptedNode.start("awareness-guard.mjs", url(a), url(b), doc, writeToken)) {
            node.await("ready", 60_000);
            try (RawClient observerB = joined(b, doc, true); RawClient manyIds = joined(a, doc, true);
                 RawClient bigState = joined(a, doc, true); RawClient fine = joined(a, doc, true)) {
                List<Entry> nine = new ArrayList<>();
                for (long c = 701; c <= 709; c++) {
                    nine.add(new Entry(c, 1, "{\"user\":" + c + "}"));
                }
                manyIds.send(awareness(doc, nine));
                String reason = Frames.awaitClose(manyIds);
                System.out.println("AWARENESS CAPS: nine client ids: " + reason);
                assertThat(reason).contains("more than 8 client ids").contains("QUIRE_MAX_AWARENESS_CLIENTS");

                String big = "{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}";
                bigState.send(awareness(doc, List.of(new Entry(800, 1, big))));
                reason = Frames.awaitClose(bigState);
                System.out.println("AWARENESS CAPS: 100 KiB state: " + reason);
                assertThat(reason).contains("awareness state of client 800 is 102410 bytes").contains("QUIRE_MAX_AWARENESS_STATE_BYTES");

                fine.send(awareness(doc, List.of(new Entry(900, 1, "{\"user\":\"fine\"}"))));
                Thread.sleep(1000);
                assertThat(manyIds.closeCode).isNotDone();
                assertThat(bigState.closeCode).isNotDone();
                List<Long> onB = new Frames().drain(observerB).clientIds();
                assertThat(onB).as("a client within the limits is relayed to the other front").contains(900L);
                assertThat(onB).as("nothing of the refused ones is").noneMatch(id -> id >= 700 && id <= 800);
                try (RawClient lateRaw = joined(a, doc, true)) {
                    Thread.sleep(500);
                    assertThat(new Frames().drain(lateRaw).clientIds()).contains(900L).noneMatch(id -> id >= 700 && id <= 800);
                }

                node.send("attacked");
                JsonNode r = node.await("result", 90_000);
                System.out.println("AWARENESS CAPS: " + r);
                assertThat(r.path("error").isMissingNode()).as(r.toString()).isTrue();
                assertThat(r.path("errors").size()).as("exceptions in the providers: " + r.path("errors")).isZero();
                assertThat(r.path("wEditAcknowledged").asBoolean()).isTrue();
                assertThat(r.path("LASynced").asBoolean() && r.path("LBSynced").asBoolean()).as("late joiners sync").isTrue();
                assertThat(ids(r.path("seen"))).contains(900L).noneMatch(id -> id >= 700 && id <= 800);
            }
        }
    }

    /** A message of the Redis bus: the origin front (writeUTF), then the payload. */
    private static byte[] busMessage(String origin, byte[] payload, Long clock) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        d.writeUTF(origin);
        if (clock != null) { // a stored state: clock and time of the write before the state
            d.writeLong(clock);
            d.writeLong(System.currentTimeMillis());
        }
        d.write(payload);
        return out.toByteArray();
    }

    @Test
    void statesInRedisThatAreNotJsonAreDroppedAndCounted() throws Exception {
        String doc = "from-redis-" + it.id;
        String prefix = "quire:" + it.env.get("QUIRE_KAFKA_TOPIC") + ":"; // the deployment's default prefix
        byte[] stateKey = (prefix + "awareness-state:" + doc).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        io.lettuce.core.RedisClient redis = io.lettuce.core.RedisClient.create(ItEnv.sys("QUIRE_REDIS_URL", "redis://127.0.0.1:6379"));
        try (io.lettuce.core.api.StatefulRedisConnection<byte[], byte[]> c = redis.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
            // what a broken front left in the stored states, beside a good state, before front B opens the document
            c.sync().hset(stateKey, java.util.Map.of("31".getBytes(), busMessage("elsewhere", "{\"user\":\"good\"}".getBytes(), 1L),
                    "32".getBytes(), busMessage("elsewhere", "{not json".getBytes(), 1L)));
            double before = ItEnv.metric(b, "quire_awareness_remote_dropped_total");
            try (RawClient observerB = joined(b, doc, true)) {
                Frames seen = new Frames();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (!seen.drain(observerB).clientIds().contains(31L) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(seen.clientIds()).as("the good stored state is delivered, the other is not").contains(31L).doesNotContain(32L);

                byte[] bad = new AwarenessUpdate(List.of(new Entry(33, 1, "{not json"))).encode();
                c.sync().publish((prefix + "awareness:" + doc).getBytes(java.nio.charset.StandardCharsets.UTF_8), busMessage("elsewhere", bad, null));
                Thread.sleep(1000);
                assertThat(seen.drain(observerB).clientIds()).doesNotContain(33L);
                assertThat(ItEnv.metric(b, "quire_awareness_remote_dropped_total") - before).as("dropped states counted").isEqualTo(2);
            }
        } finally {
            redis.shutdown();
        }
    }
}
