package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real @hocuspocus/provider 4.x clients (Node, pinned in src/test/js) against a front on real Kafka and
 * PostgreSQL: they converge, their changes are acknowledged and in Kafka, and a late joiner on a restarted
 * front loads the same document.
 */
@Timeout(180)
class HocuspocusInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ItEnv it = new ItEnv();

    static JsonNode node(String script, String... args) throws IOException, InterruptedException {
        return node(Map.of(), script, args);
    }

    static JsonNode node(Map<String, String> extraEnv, String script, String... args) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("quire.js.dir", "src/test/js"));
        List<String> cmd = new java.util.ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String[] lines = out.split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    @Test
    void providersConvergeThroughKafkaAndALateJoinerOnANewFrontLoadsTheDocument() throws Exception {
        String url;
        try (FrontServer front = it.start()) {
            url = "ws://127.0.0.1:" + front.port();
            JsonNode r = node("two-clients.mjs", url, "notes-é");
            assertThat(r.get("error")).as(r.toString()).isNull();
            assertThat(r.get("ok").asBoolean()).isTrue();
            assertThat(r.get("textA").asText()).isEqualTo(r.get("textB").asText()).contains("hello from A", "hi from B");
            assertThat(r.get("unsyncedA").asInt()).isZero(); // every change acknowledged, after Kafka acknowledged it
            assertThat(r.get("awarenessSeenByB").toString()).contains("\"A\"");
            String metrics = new String(java.net.URI.create("http://127.0.0.1:" + front.port() + "/metrics").toURL().openStream()
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertThat(metrics).contains("quire_connections_opened_total", "quire_updates_in_total", "quire_connections_closed_total{code=",
                    "quire_updates_out_total", "quire_kafka_produce_seconds_count");
            assertThat(metrics).doesNotContain("quire_kafka_produce_seconds_count 0.0");
        }
        // the changes are in Kafka, keyed by the document
        assertThat(recordsOf("notes-é")).isGreaterThanOrEqualTo(3);
        // a new front (nothing in memory, no persister ran) loads the document from the log
        try (FrontServer front = it.start()) {
            JsonNode late = node("read-document.mjs", "ws://127.0.0.1:" + front.port(), "notes-é");
            assertThat(late.get("ok").asBoolean()).as(late.toString()).isTrue();
            assertThat(late.get("text").asText()).contains("hello from A", "hi from B");
            assertThat(late.get("map").get("title").asText()).isEqualTo("Quire 😀");
        }
    }

    @Test
    void clientsOnTwoFrontsConvergeThroughKafka() throws Exception {
        try (FrontServer a = it.start(); FrontServer b = it.start()) {
            JsonNode r = node("two-clients.mjs", "ws://127.0.0.1:" + a.port(), "shared", "", "ws://127.0.0.1:" + b.port());
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("textA").asText()).isEqualTo(r.get("textB").asText()).contains("hello from A", "hi from B");
            assertThat(r.get("mapB").get("title").asText()).isEqualTo("Quire 😀");
            assertThat(r.get("unsyncedA").asInt() + r.get("unsyncedB").asInt()).isZero();
        }
    }

    @Test
    void yWebsocketClientsConvergeAndSeeHocuspocusEdits() throws Exception {
        try (FrontServer front = it.start()) {
            JsonNode r = node("y-websocket-clients.mjs", "ws://127.0.0.1:" + front.port() + "/yjs", "plain-room");
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("textA").asText()).contains("plain A", "plain B");
            // the same document through the Hocuspocus endpoint
            JsonNode h = node("read-document.mjs", "ws://127.0.0.1:" + front.port(), "plain-room");
            assertThat(h.get("text").asText()).isEqualTo(r.get("textA").asText());
        }
    }

    @Test
    void awarenessCrossesFrontsOverRedis() throws Exception {
        it.with("QUIRE_REDIS_URL", ItEnv.sys("QUIRE_REDIS_URL", "redis://127.0.0.1:6379"));
        try (FrontServer a = it.start(); FrontServer b = it.start()) {
            JsonNode r = node(Map.of("QUIRE_EXPECT_CROSS_FRONT_AWARENESS", "1"), "two-clients.mjs",
                    "ws://127.0.0.1:" + a.port(), "presence", "", "ws://127.0.0.1:" + b.port());
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("awarenessSeenByB").toString()).contains("\"A\"", "\"B\"");
        }
    }

    private long recordsOf(String document) {
        long[] n = {0};
        it.records((key, value) -> {
            if (document.equals(key)) {
                n[0]++;
            }
        });
        return n[0];
    }

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }
}
