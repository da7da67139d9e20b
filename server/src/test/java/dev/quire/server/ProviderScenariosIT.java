package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real providers (src/test/js/scenarios.mjs) against fronts on real Kafka and PostgreSQL: v2, v3 and v4 providers
 * together, awareness removal, a front restarted while clients edit, and reconnecting while the document unloads.
 */
@Timeout(240)
class ProviderScenariosIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void v2V3AndV4ProvidersConvergeOnOneDocumentAndNoneThrows() throws Exception {
        try (FrontServer front = it.start()) {
            JsonNode r = ItEnv.node("mixed", "ws://127.0.0.1:" + front.port(), "mixed-doc");
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("uncaught")).as(r.toString()).isEmpty();
            JsonNode texts = r.get("texts");
            assertThat(texts.get(0).asText()).contains("from v2.", "from v3.", "from v4.");
            assertThat(texts.get(1).asText()).isEqualTo(texts.get(0).asText());
            assertThat(texts.get(2).asText()).isEqualTo(texts.get(0).asText());
            assertThat(r.get("unsynced").toString()).isEqualTo("[0,0,0]");
            JsonNode states = r.get("states");
            for (JsonNode st : states) {
                assertThat(st.asText()).as("every client, the late joiner too").isEqualTo(states.get(0).asText());
            }
            // 3 clients x [label, object], one deleted; three paragraphs, one formatted, one with a new attribute
            assertThat(r.get("items").size()).isEqualTo(5);
            assertThat(r.get("xml").asText()).contains("<bold>", "data-seen=\"yes\"", "data-by=\"v2\"", "data-by=\"v3\"", "data-by=\"v4\"");

            // the documents API rebuilds it from the log with Quire's own Yjs engine and renders it as yjs does
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + front.port() + "/api/documents/mixed-doc?format=json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode roots = JSON.readTree(api.body()).path("roots");
            assertThat(roots.path("content").asText()).isEqualTo(texts.get(0).asText());
            assertThat(roots.path("prosemirror").asText()).isEqualTo(r.get("xml").asText());
            assertThat(roots.path("items")).isEqualTo(r.get("items"));
            assertThat(roots.path("meta").path("title").asText()).isEqualTo("mixed 😀");
        }
    }

    @Test
    void permessageDeflateIsDeclinedUnlessEnabled() throws Exception {
        try (FrontServer front = it.start()) {
            JsonNode r = ItEnv.node("extensions", "ws://127.0.0.1:" + front.port(), "x");
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("extensions").asText()).as("accepted by default").isEmpty();
        }
        try (FrontServer front = it.with("QUIRE_WS_COMPRESSION", "true").start()) {
            JsonNode r = ItEnv.node("extensions", "ws://127.0.0.1:" + front.port(), "x");
            assertThat(r.get("extensions").asText()).as("with QUIRE_WS_COMPRESSION=true").contains("permessage-deflate");
        }
    }

    @Test
    void aDisconnectedClientLeavesTheOthersAwarenessWithinASecond() throws Exception {
        try (FrontServer front = it.start()) {
            JsonNode r = ItEnv.node("awareness", "ws://127.0.0.1:" + front.port(), "awareness-doc");
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            long ms = r.get("removalMs").asLong();
            System.out.println("awareness removal took " + ms + " ms");
            assertThat(ms).isLessThan(1000);
            assertThat(r.get("uncaught")).as(r.toString()).isEmpty();
        }
    }

    @Test
    void aFrontRestartedWhileClientsEditLosesNothing() throws Exception {
        int port = ItEnv.freePort();
        it.with("QUIRE_SERVER_PORT", Integer.toString(port));
        FrontServer front = it.start();
        try {
            CountDownLatch ready = new CountDownLatch(1);
            CompletableFuture<JsonNode> run = ItEnv.nodeAsync(l -> {
                if (l.equals("READY")) {
                    ready.countDown();
                }
            }, "restart", "ws://127.0.0.1:" + port, "restart-doc", "9000");
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(2000);
            long t0 = System.nanoTime();
            front.close();
            front = null;
            Thread.sleep(500); // clients keep editing offline
            front = it.start();
            System.out.println("front down for " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            JsonNode r = run.get(120, TimeUnit.SECONDS);
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("missing")).as(r.toString()).isEmpty();
            assertThat(r.get("markers").asInt()).isGreaterThan(40);
            assertThat(r.get("uncaught")).as(r.toString()).isEmpty();
            System.out.println("restart: " + r.get("markers") + " markers, all present; A's closes " + r.get("closesA"));
        } finally {
            if (front != null) {
                front.close();
            }
        }
        // and they are in Kafka: a front started afterwards (nothing in memory) serves them
        try (FrontServer again = it.start()) {
            JsonNode r = ItEnv.node("unload", "ws://127.0.0.1:" + again.port(), "restart-doc", "0", "0");
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
        }
    }

    @Test
    void reconnectingWhileTheDocumentUnloadsLosesNothing() throws Exception {
        it.with("QUIRE_UNLOAD_AFTER", "200ms");
        try (FrontServer front = it.start()) {
            JsonNode r = ItEnv.node("unload", "ws://127.0.0.1:" + front.port(), "unload-doc", "25", "200");
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("markers").asInt()).isEqualTo(25);
            assertThat(r.get("missing")).isEmpty();
            assertThat(r.get("uncaught")).as(r.toString()).isEmpty();
        }
    }
}
