package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.yjs.model.YDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounds of the documents API on a real front: reads of large documents on a small heap, the largest document
 * it loads, and what a read beyond the concurrent ones gets.
 */
@Timeout(300)
class ApiLimitsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ItEnv it = new ItEnv();

    @TempDir
    Path dir;

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Updates appending {@code chunks} runs of {@code chunk} random letters to the text root "content". */
    private static List<byte[]> appends(int chunks, int chunk) {
        YDoc doc = new YDoc(42, true);
        List<byte[]> out = new ArrayList<>();
        doc.onUpdate((u, tr) -> out.add(u));
        Random random = new Random(7);
        for (int i = 0; i < chunks; i++) {
            StringBuilder sb = new StringBuilder(chunk);
            for (int j = 0; j < chunk; j++) {
                sb.append((char) ('a' + random.nextInt(26)));
            }
            doc.getText("content").insert(doc.getText("content").length(), sb.toString());
        }
        return out;
    }

    private static void post(String base, String document, byte[] update) throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(URI.create(base + document + "/updates"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(update)));
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    }

    /**
     * The defect as reported, on a front process with a 256 MB heap: 40 concurrent JSON reads of a 5.4 MB document.
     * Unbounded, each held the document, its rendering and a Kafka consumer at once, and the heap ran out; now at
     * most QUIRE_API_MAX_CONCURRENT_READS (default 4) render together and the others wait, or get 503.
     */
    @Test
    void concurrentReadsOfALargeDocumentDoNotExhaustASmallHeap() throws Exception {
        try (FrontProcess front = FrontProcess.start(it.env, "256m", dir.resolve("front.log"))) {
            String base = "http://127.0.0.1:" + front.port + "/api/documents/";
            List<byte[]> updates = appends(6, 900_000);
            for (byte[] u : updates) {
                post(base, "large", u);
            }
            int n = 40;
            List<CompletableFuture<HttpResponse<byte[]>>> reads = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reads.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "large?format=json")).timeout(Duration.ofSeconds(120)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            int ok = 0;
            int busy = 0;
            List<String> other = new ArrayList<>();
            for (CompletableFuture<HttpResponse<byte[]>> f : reads) {
                try {
                    HttpResponse<byte[]> r = f.get(150, TimeUnit.SECONDS);
                    if (r.statusCode() == 200) {
                        assertThat(JSON.readTree(r.body()).path("roots").path("content").asText()).hasSize(6 * 900_000);
                        ok++;
                    } else if (r.statusCode() == 503) {
                        assertThat(r.headers().firstValue("Retry-After")).isPresent();
                        busy++;
                    } else {
                        other.add(r.statusCode() + " " + text(r).substring(0, Math.min(200, r.body().length)));
                    }
                } catch (Exception e) {
                    other.add(e.toString());
                }
            }
            String output = front.log();
            System.out.printf("API READS: %d concurrent reads of a %d-byte document on a 256 MB front: %d answered, %d got 503, other: %s%n",
                    n, updates.stream().mapToInt(u -> u.length).sum(), ok, busy, other);
            assertThat(output).as("the front's output").doesNotContain("OutOfMemoryError");
            assertThat(other).as("answers other than 200 and 503").isEmpty();
            assertThat(ok).as("reads answered").isGreaterThanOrEqualTo(4);
            assertThat(front.process.isAlive()).isTrue();
            HttpResponse<byte[]> after = send(HttpRequest.newBuilder(URI.create(base + "large?format=text")));
            assertThat(after.statusCode()).as("the front still serves the document").isEqualTo(200);
            assertThat(after.body()).hasSize(6 * 900_000);
        }
    }

    @Test
    void aDocumentOverTheSizeLimitIs422OnEveryPathThatLoadsItAndSmallerOnesAreServed() throws Exception {
        it.with("QUIRE_API_MAX_DOCUMENT_BYTES", "4096");
        try (FrontServer front = it.start()) {
            String base = "http://127.0.0.1:" + front.port() + "/api/documents/";
            List<byte[]> updates = appends(2, 3000);
            for (byte[] u : updates) {
                post(base, "big", u);
            }
            post(base, "small", appends(1, 3000).get(0));
            insertHistory("big", updates);

            List<HttpResponse<byte[]>> answers = List.of(send(HttpRequest.newBuilder(URI.create(base + "big"))),
                    send(HttpRequest.newBuilder(URI.create(base + "big?format=yjs"))),
                    send(HttpRequest.newBuilder(URI.create(base + "big/versions/at?offset=100001&format=text"))),
                    send(HttpRequest.newBuilder(URI.create(base + "big/versions/at?time=2026-01-01T12:00:00Z"))),
                    send(HttpRequest.newBuilder(URI.create(base + "big/text/append")).POST(HttpRequest.BodyPublishers.ofString("more"))));
            for (HttpResponse<byte[]> r : answers) {
                assertThat(r.statusCode()).as("%s %.300s", r.uri(), text(r)).isEqualTo(422);
                JsonNode error = JSON.readTree(r.body());
                assertThat(error.get("error").asText()).contains("4096", "QUIRE_API_MAX_DOCUMENT_BYTES");
            }
            long[] records = new long[1];
            it.records((key, value) -> records[0] += key.equals("big") ? 1 : 0);
            assertThat(records[0]).as("the refused append wrote nothing").isEqualTo(2);

            assertThat(send(HttpRequest.newBuilder(URI.create(base + "big/versions/at?offset=100000&format=text"))).statusCode())
                    .as("an earlier, smaller version of it").isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "big/history"))).statusCode()).isEqualTo(200);
            HttpResponse<byte[]> small = send(HttpRequest.newBuilder(URI.create(base + "small?format=text")));
            assertThat(small.statusCode()).isEqualTo(200);
            assertThat(small.body()).hasSize(3000);
        }
    }

    /**
     * Loads that cannot finish (PostgreSQL's snapshot table locked) hold the two places of
     * QUIRE_API_MAX_CONCURRENT_READS; the further reads get 503 with Retry-After after the bounded wait, not a
     * thread each for as long as the loads take, and the front goes on answering what needs no document.
     */
    @Test
    void readsBeyondTheConcurrentOnesGet503QuicklyAndTheFrontKeepsServing() throws Exception {
        it.with("QUIRE_API_MAX_CONCURRENT_READS", "2");
        try (FrontServer front = it.start()) {
            String base = "http://127.0.0.1:" + front.port() + "/api/documents/";
            post(base, "held", appends(1, 100).get(0));
            insertHistory("held", appends(1, 10));
            try (Connection lock = DriverManager.getConnection(it.env.get("QUIRE_DATABASE_URL"), it.env.get("QUIRE_DATABASE_USER"),
                    it.env.get("QUIRE_DATABASE_PASSWORD"))) {
                lock.setAutoCommit(false);
                lock.createStatement().execute("LOCK TABLE it_" + it.id + ".document_snapshots IN ACCESS EXCLUSIVE MODE");
                long t0 = System.nanoTime();
                List<CompletableFuture<HttpResponse<byte[]>>> reads = new ArrayList<>();
                List<Long> answeredAfterMs = java.util.Collections.synchronizedList(new ArrayList<>());
                AtomicInteger answered = new AtomicInteger();
                for (int i = 0; i < 6; i++) {
                    reads.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base + "held?format=text")).timeout(Duration.ofSeconds(60)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                                answered.incrementAndGet();
                                answeredAfterMs.add((System.nanoTime() - t0) / 1_000_000);
                            }));
                    Thread.sleep(50);
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (answered.get() < 4 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(answered.get()).as("reads answered while two loads are stuck").isEqualTo(4);
                for (CompletableFuture<HttpResponse<byte[]>> f : reads) {
                    if (f.isDone()) {
                        HttpResponse<byte[]> r = f.get();
                        assertThat(r.statusCode()).as(text(r)).isEqualTo(503);
                        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                        assertThat(text(r)).contains("QUIRE_API_MAX_CONCURRENT_READS");
                    }
                }
                System.out.printf("API READS: 6 reads with 2 places held: 503 after %s ms%n", answeredAfterMs);
                assertThat(answeredAfterMs).allMatch(ms -> ms < 5_000);
                HttpResponse<byte[]> live = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/health/live")));
                assertThat(live.statusCode()).isEqualTo(200);
                assertThat(send(HttpRequest.newBuilder(URI.create(base + "held/history"))).statusCode()).isEqualTo(200);
                lock.rollback();
                for (CompletableFuture<HttpResponse<byte[]>> f : reads) {
                    HttpResponse<byte[]> r = f.get(30, TimeUnit.SECONDS);
                    assertThat(r.statusCode()).isIn(200, 503);
                }
                assertThat(reads.stream().filter(f -> f.join().statusCode() == 200)).as("the held reads finish").hasSize(2);
            }
            assertThat(send(HttpRequest.newBuilder(URI.create(base + "held?format=text"))).statusCode()).isEqualTo(200);
        }
    }

    /** Rows as the persister writes them, at offsets 100000, 100001, ..., an hour apart from 2026-01-01T10:00Z. */
    private void insertHistory(String document, List<byte[]> updates) throws Exception {
        try (Connection c = DriverManager.getConnection(it.env.get("QUIRE_DATABASE_URL"), it.env.get("QUIRE_DATABASE_USER"),
                it.env.get("QUIRE_DATABASE_PASSWORD"));
             PreparedStatement ps = c.prepareStatement("INSERT INTO it_" + it.id + ".document_updates "
                     + "(topic_partition, kafka_offset, document, kafka_timestamp, origin, update_v1) VALUES (1, ?, ?, ?, 'it', ?)")) {
            for (int i = 0; i < updates.size(); i++) {
                ps.setLong(1, 100_000 + i);
                ps.setString(2, document);
                ps.setTimestamp(3, Timestamp.from(Instant.parse("2026-01-01T10:00:00Z").plusSeconds(3600L * i)));
                ps.setBytes(4, updates.get(i));
                ps.executeUpdate();
            }
        }
    }
}
