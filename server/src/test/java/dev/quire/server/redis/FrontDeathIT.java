package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.server.FrontServer;
import dev.quire.server.ItEnv;
import dev.quire.server.ScriptedNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: awareness between real providers on two fronts (latency of cursor moves), then a front dies (SIGKILL
 * of its process, so it never sends its clients' removals). Its clients' awareness states are gone from the other
 * front within the awareness timeout: the other front's clients stop seeing them, and a client that joins
 * afterwards is not shown them. (Both the providers' own 30 s timeout, whose removals the front relays, and the
 * front's expiry of states nobody renews, {@code HubDocumentAwarenessTest}, lead there.)
 */
@Timeout(180)
class FrontDeathIT {
    @TempDir
    Path dir;
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void aKilledFrontsClientsExpireOnTheOtherFront() throws Exception {
        try (RedisTestServer redis = RedisTestServer.plain(dir)) {
            it.with("QUIRE_REDIS_URL", redis.url(true));
            int portA = ItEnv.freePort();
            ProcessBuilder pb = ItEnv.frontProcess(it.env).redirectOutput(dir.resolve("front-a.log").toFile());
            pb.environment().put("QUIRE_SERVER_PORT", Integer.toString(portA));
            Process frontA = pb.start();
            try (FrontServer frontB = it.start()) {
                awaitLive(portA, frontA);
                try (ScriptedNode node = ScriptedNode.start("awareness-expiry.mjs", "ws://127.0.0.1:" + portA,
                        "ws://127.0.0.1:" + frontB.port(), "death-" + it.id)) {
                    JsonNode ready = node.await("ready", 60_000);
                    System.out.printf("AWARENESS front A -> front B, real providers, 200 moves 50 ms apart: p50 %s ms, p99 %s ms, max %s ms%n",
                            ready.path("p50"), ready.path("p99"), ready.path("max"));
                    assertThat(ready.path("delivered").asInt()).as("every move reached the other front").isEqualTo(200);
                    // the 100 ms p99 goal is measured quietly and recorded in BENCHMARKS.md; this bound only catches a
                    // path that stopped being immediate (e.g. falling back to a polling interval) on a loaded CI machine
                    assertThat(ready.path("p99").asDouble()).as("p99 ms").isLessThan(500);
                    frontA.destroyForcibly();
                    frontA.waitFor(10, TimeUnit.SECONDS);
                    node.send("killed");
                    JsonNode r = node.await("result", 120_000);
                    System.out.println("FRONT DEATH: " + r);
                    assertThat(r.path("error").isMissingNode()).as(r.toString()).isTrue();
                    assertThat(r.path("bDroppedA").asBoolean()).as("B's provider dropped A").isTrue();
                    assertThat(r.path("bDroppedAfterMs").asLong()).as("within the 30 s awareness timeout (+ its 3 s check)").isLessThan(34_000);
                    assertThat(r.path("cSeesB").asBoolean()).as("the newcomer sees the live client").isTrue();
                    assertThat(r.path("cSeesALater").asBoolean()).as("front B no longer hands out the dead front's client").isFalse();
                }
            } finally {
                frontA.destroyForcibly();
            }
        }
    }

    private static void awaitLive(int port, Process front) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && front.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("front A (child process) did not start; alive=" + front.isAlive());
    }
}
