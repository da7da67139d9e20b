package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.core.config.Env;
import dev.quire.core.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
    private final String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private final Map<String, String> env = new HashMap<>();

    HocuspocusInteropIT() {
        env.put("QUIRE_KAFKA_BOOTSTRAP", sys("QUIRE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        env.put("QUIRE_KAFKA_TOPIC", "quire.it." + id);
        env.put("QUIRE_KAFKA_PARTITIONS", "3");
        env.put("QUIRE_DATABASE_URL", sys("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/quire_test"));
        env.put("QUIRE_DATABASE_USER", sys("QUIRE_DATABASE_USER", "quire"));
        env.put("QUIRE_DATABASE_PASSWORD", sys("QUIRE_DATABASE_PASSWORD", "quire"));
        env.put("QUIRE_DATABASE_SCHEMA", "it_" + id);
        env.put("QUIRE_AUTH", "none");
        env.put("QUIRE_SERVER_PORT", "0");
        env.put("QUIRE_SERVER_HOST", "127.0.0.1");
    }

    private static String sys(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

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
        try (FrontServer front = FrontServer.start(new Env(env))) {
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
        try (FrontServer front = FrontServer.start(new Env(env))) {
            JsonNode late = node("read-document.mjs", "ws://127.0.0.1:" + front.port(), "notes-é");
            assertThat(late.get("ok").asBoolean()).as(late.toString()).isTrue();
            assertThat(late.get("text").asText()).contains("hello from A", "hi from B");
            assertThat(late.get("map").get("title").asText()).isEqualTo("Quire 😀");
        }
    }

    @Test
    void clientsOnTwoFrontsConvergeThroughKafka() throws Exception {
        try (FrontServer a = FrontServer.start(new Env(env)); FrontServer b = FrontServer.start(new Env(env))) {
            JsonNode r = node("two-clients.mjs", "ws://127.0.0.1:" + a.port(), "shared", "", "ws://127.0.0.1:" + b.port());
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("textA").asText()).isEqualTo(r.get("textB").asText()).contains("hello from A", "hi from B");
            assertThat(r.get("mapB").get("title").asText()).isEqualTo("Quire 😀");
            assertThat(r.get("unsyncedA").asInt() + r.get("unsyncedB").asInt()).isZero();
        }
    }

    @Test
    void yWebsocketClientsConvergeAndSeeHocuspocusEdits() throws Exception {
        try (FrontServer front = FrontServer.start(new Env(env))) {
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
        Map<String, String> withRedis = new HashMap<>(env);
        withRedis.put("QUIRE_REDIS_URL", sys("QUIRE_REDIS_URL", "redis://127.0.0.1:6379"));
        try (FrontServer a = FrontServer.start(new Env(withRedis)); FrontServer b = FrontServer.start(new Env(withRedis))) {
            JsonNode r = node(Map.of("QUIRE_EXPECT_CROSS_FRONT_AWARENESS", "1"), "two-clients.mjs",
                    "ws://127.0.0.1:" + a.port(), "presence", "", "ws://127.0.0.1:" + b.port());
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("awarenessSeenByB").toString()).contains("\"A\"", "\"B\"");
        }
    }

    private long recordsOf(String document) {
        KafkaSettings kafka = new KafkaSettings(new Env(env));
        Properties p = kafka.clientProperties();
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = c.partitionsFor(kafka.topic()).stream().map(i -> new TopicPartition(kafka.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (document.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (Connection c = DriverManager.getConnection(env.get("QUIRE_DATABASE_URL"), env.get("QUIRE_DATABASE_USER"),
                env.get("QUIRE_DATABASE_PASSWORD"))) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS it_" + id + " CASCADE");
        }
        try (Admin admin = Admin.create(new KafkaSettings(new Env(env)).clientProperties())) {
            admin.deleteTopics(List.of(env.get("QUIRE_KAFKA_TOPIC"))).all().get();
        } catch (Exception ignored) {
            // never created
        }
    }
}
