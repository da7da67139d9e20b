package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.server.http.HealthChecks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /health/live} and {@code /health/ready} of a front on real Kafka and PostgreSQL. */
@Timeout(120)
class HealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readyReportsEachServiceAndLiveStaysUp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (ItEnv it = new ItEnv().with("QUIRE_KAFKA_PARTITIONS", "1"); FrontServer front = it.start()) {
            String base = "http://127.0.0.1:" + front.port();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(ready.body());
            assertThat(body.get("status").asText()).isEqualTo("up");
            assertThat(body.get("kafka").asText()).isEqualTo("up");
            assertThat(body.get("postgres").asText()).isEqualTo("up");
            assertThat(body.get("redis").asText()).isEqualTo("disabled");
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(base + "/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void statusIsDownWhenKafkaOrPostgresIsDownDegradedWithRedisAndCached() {
        AtomicInteger calls = new AtomicInteger();
        try (HealthChecks h = HealthChecks.fixed(() -> calls.incrementAndGet() > 0, () -> false, 0)) {
            assertThat(h.status()).containsEntry("status", "down").containsEntry("kafka", "up").containsEntry("postgres", "down");
            assertThat(HealthChecks.httpStatus(h.status())).isEqualTo(503);
        }
        try (HealthChecks h = HealthChecks.fixed(() -> {
            throw new IllegalStateException("no broker");
        }, () -> true, 0)) {
            assertThat(h.status()).containsEntry("status", "down").containsEntry("kafka", "down");
        }
        try (HealthChecks h = HealthChecks.fixed(() -> true, () -> true, 0)) {
            h.redis(() -> "degraded");
            assertThat(h.status()).containsEntry("status", "degraded").containsEntry("redis", "degraded");
            assertThat(HealthChecks.httpStatus(h.status())).isEqualTo(200);
            h.redis(() -> "up");
            assertThat(h.status()).containsEntry("status", "up");
        }
        calls.set(0);
        try (HealthChecks h = HealthChecks.fixed(() -> calls.incrementAndGet() > 0, () -> true, 60_000)) {
            h.status();
            h.status();
            assertThat(calls.get()).isEqualTo(1); // cached
        }
    }
}
