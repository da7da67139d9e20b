package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.core.kafka.LocalBroker;
import dev.quire.server.FrontServer;
import dev.quire.server.ItEnv;
import dev.quire.server.ScriptedNode;
import dev.quire.yjs.model.YDoc;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's cross-front latency remedy: a front relays each accepted update to the other fronts through Redis,
 * beside the durable Kafka path. Proven with Kafka killed: an edit on front A still reaches a real provider on
 * front B (only the relay can carry it then), is not acknowledged until Kafka is back, and is in the log afterwards.
 */
@Timeout(300)
class UpdateRelayIT {
    @TempDir
    Path dir;
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void editsReachTheOtherFrontThroughRedisWhileKafkaIsDownAndAreStoredAfterwards() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        java.nio.file.Files.createDirectories(kafkaDir);
        try (LocalBroker broker = LocalBroker.start(Path.of(System.getProperty("quire.root", ".."), "services", "kafka"), kafkaDir,
                Duration.ofSeconds(90)); RedisTestServer redis = RedisTestServer.plain(dir)) {
            it.with("QUIRE_KAFKA_BOOTSTRAP", broker.bootstrap()).with("QUIRE_REDIS_URL", redis.url(true));
            String doc = "relay-" + it.id;
            try (FrontServer a = it.start(); FrontServer b = it.start();
                 ScriptedNode node = ScriptedNode.start("kafka-outage.mjs", "ws://127.0.0.1:" + a.port(), doc, "ws://127.0.0.1:" + b.port())) {
                node.await("ready", 60_000);
                broker.kill();
                node.send("down");
                JsonNode during = node.await("during", 30_000);
                double relayedToB = ItEnv.metric(b, "quire_updates_relayed_total");
                broker.restart();
                node.send("up");
                JsonNode result = node.await("result", 150_000);
                System.out.printf("RELAY: during %s; relayed to B %.0f; result %s%n", during, relayedToB, result);

                assertThat(during.path("bHas").size()).as("B, on the other front, got every edit with Kafka down: " + during).isEqualTo(15);
                assertThat(during.path("hasUnsyncedChanges").asBoolean()).as("not acknowledged without Kafka").isTrue();
                assertThat(relayedToB).isGreaterThanOrEqualTo(10);
                assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
                assertThat(result.path("closes").size()).isZero();
                YDoc fromLog = new YDoc(1, true);
                it.records((key, value) -> {
                    if (key.equals(doc)) {
                        fromLog.applyUpdate(value);
                    }
                });
                assertThat(fromLog.getText("content").toString()).isEqualTo(result.path("textA").asText());
            }
        }
    }
}
