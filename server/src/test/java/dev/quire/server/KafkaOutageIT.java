package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.core.kafka.LocalBroker;
import dev.quire.yjs.model.YDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5: Kafka killed in the middle of an editing session (a private broker, SIGKILL, restarted on the same
 * data). A real @hocuspocus/provider writer's changes keep reaching the other client of the front, but are not
 * acknowledged while Kafka is away; afterwards every change is in the log. With the buffer of pending writes
 * full, further changes are refused without being applied, the writer's socket is reset (4205) so the provider
 * re-sends them, and again nothing is lost.
 */
@Timeout(300)
class KafkaOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    static Path dir;
    private static LocalBroker broker;
    private final ItEnv it = new ItEnv();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = LocalBroker.start(Path.of(System.getProperty("quire.root", ".."), "services", "kafka"), dir, Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void acknowledgementsWaitForKafkaAndNothingIsLost() throws Exception {
        it.with("QUIRE_KAFKA_BOOTSTRAP", broker.bootstrap());
        String doc = "kafka-down-" + it.id;
        try (FrontServer front = it.start(); ScriptedNode node = ScriptedNode.start("kafka-outage.mjs", ws(front), doc)) {
            node.await("ready", 60_000);
            broker.kill();
            node.send("down");
            double maxPending = 0;
            List<String> kafkaHealth = new ArrayList<>();
            long until = System.currentTimeMillis() + 4_000; // while the writer adds its markers
            while (System.currentTimeMillis() < until) {
                maxPending = Math.max(maxPending, ItEnv.metric(front, "quire_kafka_pending_writes"));
                kafkaHealth.add(get(front, "/health/ready").path("kafka").asText());
                Thread.sleep(250);
            }
            JsonNode during = node.await("during", 30_000);
            broker.restart();
            node.send("up");
            JsonNode result = node.await("result", 150_000);
            System.out.printf("KAFKA OUTAGE: during %s; pending writes max %.0f; kafka health %s; converged %s ms after restart%n",
                    during, maxPending, kafkaHealth, result.path("convergedMsAfterUp"));

            assertThat(during.path("hasUnsyncedChanges").asBoolean()).as("acknowledgements withheld while Kafka is down: " + during).isTrue();
            assertThat(during.path("unsynced").asInt()).isGreaterThan(0);
            assertThat(during.path("bHas").size()).as("the other client still receives every change: " + during).isEqualTo(15);
            assertThat(maxPending).as("writes buffered while Kafka is down").isGreaterThanOrEqualTo(1);
            assertThat(kafkaHealth).as("/health/ready while Kafka is down").isNotEmpty().doesNotContain("up");
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("closes").size()).as("no socket closed: " + result.path("closes")).isZero();
            assertLogHolds(doc, result);
        }
    }

    @Test
    void aFullBufferRefusesChangesUntouchedAndTheProviderResendsThem() throws Exception {
        it.with("QUIRE_KAFKA_BOOTSTRAP", broker.bootstrap()).with("QUIRE_MAX_PENDING_WRITES", "3");
        String doc = "kafka-full-" + it.id;
        try (FrontServer front = it.start(); ScriptedNode node = ScriptedNode.start("kafka-outage.mjs", ws(front), doc)) {
            node.await("ready", 60_000);
            broker.kill();
            node.send("down");
            JsonNode during = node.await("during", 30_000);
            double refused = ItEnv.metric(front, "quire_kafka_refused_writes_total");
            double resets = ItEnv.metric(front, "quire_connections_closed_total{code=\"4205\"}");
            broker.restart();
            node.send("up");
            JsonNode result = node.await("result", 150_000);
            System.out.printf("KAFKA BUFFER FULL: during %s; refused %.0f; result %s%n", during, refused, result);

            assertThat(refused).as("updates refused at the limit").isGreaterThanOrEqualTo(1);
            assertThat(resets).as("resets counted under their own close code").isGreaterThanOrEqualTo(1);
            assertThat(during.path("bHas").size()).as("refused changes were not applied, so B lacks some: " + during)
                    .isGreaterThanOrEqualTo(5 + 3).isLessThan(15);
            assertThat(result.path("closes").size()).as("the writer was reset at least once").isGreaterThanOrEqualTo(1);
            for (JsonNode c : result.path("closes")) {
                assertThat(c.path("client").asText()).as("only the writer is reset: " + c).isEqualTo("A");
                assertThat(c.path("code").asInt()).as(c.toString()).isEqualTo(4205);
            }
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
            assertLogHolds(doc, result);
        }
    }

    /** The document rebuilt from the Kafka records alone has every marker and equals the clients' text. */
    private void assertLogHolds(String doc, JsonNode result) {
        YDoc fromLog = new YDoc(1, true);
        it.records((key, value) -> {
            if (key.equals(doc)) {
                fromLog.applyUpdate(value);
            }
        });
        String text = fromLog.getText("content").toString();
        for (JsonNode m : result.path("markers")) {
            assertThat(text).as("the log has " + m.asText()).contains(m.asText());
        }
        assertThat(text).isEqualTo(result.path("textA").asText());
    }

    private static String ws(FrontServer front) {
        return "ws://127.0.0.1:" + front.port();
    }

    private static JsonNode get(FrontServer front, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }
}
