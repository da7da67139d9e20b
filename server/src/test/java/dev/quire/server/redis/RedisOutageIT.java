package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.server.FrontServer;
import dev.quire.server.ItEnv;
import dev.quire.server.ScriptedNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: Redis killed (SIGKILL) for 20 s in the middle of an editing session with real @hocuspocus/provider
 * clients on two fronts. No socket is closed, document edits keep converging across the fronts through Kafka,
 * /health/ready says redis "degraded" with HTTP 200 during the outage, and awareness between the fronts comes
 * back after Redis is restarted on the same port.
 */
@Timeout(120)
class RedisOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OUTAGE_MS = 20_000;

    @TempDir
    Path dir;
    private final ItEnv it = new ItEnv();

    /** One poll of /health/ready: HTTP code and the redis field. */
    record Health(long at, int code, String redis, String status) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Health health(int port, long t0) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode j = JSON.readTree(r.body());
            return new Health(System.currentTimeMillis() - t0, r.statusCode(), j.path("redis").asText(), j.path("status").asText());
        } catch (Exception e) {
            return new Health(System.currentTimeMillis() - t0, -1, "error: " + e, "error");
        }
    }

    @Test
    void twentySecondsWithoutRedisCloseNoSocketAndAwarenessComesBack() throws Exception {
        RedisTestServer redis = RedisTestServer.plain(dir);
        it.with("QUIRE_REDIS_URL", redis.url(true));
        try (redis; FrontServer a = it.start(); FrontServer b = it.start()) {
            assertThat(health(a.port(), 0).redis()).isEqualTo("up");
            try (ScriptedNode node = ScriptedNode.start("redis-outage.mjs", "ws://127.0.0.1:" + a.port(), "ws://127.0.0.1:" + b.port(),
                    "outage-" + it.id)) {
                node.await("synced", 30_000);

                Thread.sleep(5_000); // phase 1: editing with Redis up

                long t0 = System.currentTimeMillis();
                redis.kill();
                node.send("down");
                List<Health> during = new CopyOnWriteArrayList<>();
                double redisUpLate = -1;
                while (System.currentTimeMillis() - t0 < OUTAGE_MS) {
                    during.add(health(a.port(), t0));
                    during.add(health(b.port(), t0));
                    if (System.currentTimeMillis() - t0 > OUTAGE_MS / 2) {
                        redisUpLate = ItEnv.metric(a, "quire_redis_up");
                    }
                    Thread.sleep(250);
                }
                double failuresDuring = ItEnv.metric(a, "quire_redis_failures_total");
                redis.start(); // same port
                long upAt = System.currentTimeMillis();
                node.send("up");
                // health back to up
                long healthUpMs = -1;
                while (System.currentTimeMillis() - upAt < 15_000) {
                    if (health(a.port(), t0).redis().equals("up") && health(b.port(), t0).redis().equals("up")) {
                        healthUpMs = System.currentTimeMillis() - upAt;
                        break;
                    }
                    Thread.sleep(100);
                }

                JsonNode result = node.await("result", 30_000);

                Health firstDegraded = during.stream().filter(h -> h.redis().equals("degraded")).findFirst().orElse(null);
                long degradedPolls = during.stream().filter(h -> h.redis().equals("degraded")).count();
                System.out.printf("REDIS OUTAGE %d ms: closes=%d disconnects=%d providerCloses=%d converged=%s (in %s ms after edits stopped) "
                                + "markers A=%d B=%d missing A=%d B=%d; A markers during outage %d, seen by B %d (lag p50 %s ms, max %s ms); "
                                + "awareness recovered=%s %s ms after restart (lag %s ms); health: %d polls, %d degraded, first degraded at %s ms, "
                                + "codes %s; health up again %d ms after restart%n",
                        OUTAGE_MS, result.path("closes").asInt(), result.path("disconnects").asInt(), result.path("providerCloses").asInt(),
                        result.path("converged"), result.path("convergedIn"), result.path("markersA").asInt(), result.path("markersB").asInt(),
                        result.path("missingInA").asInt(), result.path("missingInB").asInt(), result.path("markersADuringOutage").asInt(),
                        result.path("markersADuringOutageSeenByB").asInt(), result.path("outageLagP50"), result.path("outageLagMax"),
                        result.path("awarenessRecovered"), result.path("awarenessRecoveryMs"), result.path("awarenessLagMs"),
                        during.size(), degradedPolls, firstDegraded == null ? "never" : firstDegraded.at(),
                        during.stream().map(Health::code).distinct().toList(), healthUpMs);

                assertThat(result.path("error").isMissingNode()).as(result.toString()).isTrue();
                assertThat(result.path("closes").asInt()).as("websocket close events").isZero();
                assertThat(result.path("disconnects").asInt()).as("websocket disconnect events").isZero();
                assertThat(result.path("providerCloses").asInt()).as("provider close events").isZero();
                assertThat(result.path("converged").asBoolean()).as(result.toString()).isTrue();
                assertThat(result.path("textsEqual").asBoolean()).isTrue();
                assertThat(result.path("missingInA").asInt() + result.path("missingInB").asInt()).as("markers missing").isZero();
                assertThat(result.path("markersADuringOutage").asInt()).as("A edited during the outage").isGreaterThan(50);
                assertThat(result.path("markersADuringOutageSeenByB").asInt()).as("A's edits during the outage reached B")
                        .isEqualTo(result.path("markersADuringOutage").asInt());
                assertThat(result.path("awarenessRecovered").asBoolean()).as(result.toString()).isTrue();
                assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
                assertThat(during).as("/health/ready answered 200 throughout the outage").allMatch(h -> h.code() == 200);
                assertThat(firstDegraded).as("/health/ready reported redis degraded during the outage: " + during).isNotNull();
                assertThat(firstDegraded.at()).as("degraded reported within 5 s").isLessThan(5_000);
                assertThat(during.stream().filter(h -> h.at() > 5_000)).as("degraded for the rest of the outage")
                        .allMatch(h -> h.redis().equals("degraded") && h.status().equals("degraded"));
                assertThat(healthUpMs).as("redis up again in /health/ready after the restart").isBetween(0L, 15_000L);
                assertThat(redisUpLate).as("quire_redis_up during the outage").isEqualTo(0.0);
                assertThat(failuresDuring).as("quire_redis_failures_total during the outage").isGreaterThan(0);
                assertThat(ItEnv.metric(a, "quire_redis_up")).as("quire_redis_up after the restart").isEqualTo(1.0);
                assertThat(ItEnv.metric(b, "quire_redis_received_total")).as("awareness received from the other front").isGreaterThan(0);
                assertThat(ItEnv.metric(b, "quire_updates_log_first_total")).as("A's edits that reached B through Kafka, not the relay")
                        .isGreaterThanOrEqualTo(result.path("markersADuringOutage").asInt() / 2.0);
            }
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }
}
