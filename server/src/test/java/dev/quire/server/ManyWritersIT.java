package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5, the failure behind Hocuspocus PR #1130: 400 writers on one document. Every update reaches the
 * observing provider and is acknowledged, no socket is closed, the front keeps answering HTTP, and the fan-out
 * is batched per document: when all 400 send in the same tick, the writers get far fewer frames than one per update.
 */
@Timeout(300)
class ManyWritersIT {
    private static final int WRITERS = 400;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void fourHundredWritersOnOneDocumentAreServedWithBatchedFanOut() throws Exception {
        try (FrontServer front = it.start();
             ScriptedNode node = ScriptedNode.start("many-writers.mjs", "ws://127.0.0.1:" + front.port(), "crowd-" + it.id,
                     Integer.toString(WRITERS), "15", "1")) {
            List<Integer> live = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread poller = new Thread(() -> {
                while (running.get()) {
                    live.add(status(front, "/health/live"));
                    sleep(500);
                }
            });
            poller.start();
            JsonNode r;
            try {
                r = node.await("result", 200_000);
            } finally {
                running.set(false);
                poller.join();
            }
            double in = ItEnv.metric(front, "quire_updates_in_total");
            double out = ItEnv.metric(front, "quire_updates_out_total");
            System.out.printf("MANY WRITERS: %d writers, %s updates sent, %s acked, ack p50/p99 %s/%s ms, observer p50/p99/max %s/%s/%s ms, "
                            + "drain %s ms; front: %.0f updates in, %.0f update frames out (%.1f%% of one frame per update per connection); "
                            + "writers received %s update frames, %s bytes; %d live polls; burst of %d updates in one tick: %s update "
                            + "frames to the writers (%.1f%% of one per update per writer)%n",
                    WRITERS, r.path("sent"), r.path("acks"), r.path("ackP50"), r.path("ackP99"), r.path("observerP50"), r.path("observerP99"),
                    r.path("observerMax"), r.path("drainMs"), in, out, 100 * out / (in * (WRITERS + 1)), r.path("updateFramesIn"),
                    r.path("bytesIn"), live.size(), WRITERS, r.path("burstUpdateFrames"),
                    100.0 * r.path("burstUpdateFrames").asInt() / ((double) WRITERS * WRITERS));

            assertThat(r.path("error").isMissingNode()).as(r.toString()).isTrue();
            assertThat(r.path("sent").asInt()).as("updates sent").isGreaterThan(WRITERS * 10);
            assertThat(r.path("acks").asInt()).as("every update acknowledged").isEqualTo(r.path("sent").asInt());
            assertThat(r.path("refused").asInt()).isZero();
            assertThat(r.path("closeCount").asInt()).as("sockets closed: " + r.path("closes")).isZero();
            assertThat(r.path("observerSeen").asInt()).as("markers the observing provider received").isEqualTo(r.path("markers").asInt());
            assertThat(r.path("observerArrayLength").asInt()).isEqualTo(r.path("markers").asInt());
            assertThat(live).as("/health/live answered throughout").isNotEmpty().allMatch(code -> code == 200);
            assertThat(in).isGreaterThanOrEqualTo(r.path("sent").asInt());
            // steady writers spread over the second batch only as much as the front falls behind (load-dependent); a
            // burst must be merged: at least 4 updates per frame on average
            assertThat(r.path("burstDelivered").asBoolean()).as("the burst's updates acknowledged and observed").isTrue();
            assertThat(r.path("burstUpdateFrames").asInt()).as("update frames the writers received for the burst, batched per document")
                    .isLessThan(WRITERS * WRITERS / 4);
        }
    }

    private static int status(FrontServer front, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
