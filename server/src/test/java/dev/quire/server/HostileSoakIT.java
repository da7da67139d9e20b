package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.persister.Persister;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.yjs.model.YDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's soak: a front with a 512 MiB heap (as its own JVM) and a persister, under a mixed hostile load from
 * loopback (bounded in rounds and time) for {@code quire.soak.seconds} (default 180) while two real
 * {@code @hocuspocus/provider}s edit one document. The providers converge, every edit they made is in PostgreSQL, the
 * persister's readiness never fails, no thread of the front dies, and its heap after a full GC returns near where it
 * started.
 */
@Timeout(1200)
class HostileSoakIT {
    private static final int SOAK_SECONDS = Integer.getInteger("quire.soak.seconds", 180);
    private final ItEnv it = new ItEnv();
    @TempDir
    Path dir;
    private FrontProcess front;

    @AfterEach
    void cleanUp() throws Exception {
        if (Files.exists(dir.resolve("front.log"))) { // kept for a look after a failure
            Files.copy(dir.resolve("front.log"), Path.of("target", "hostile-soak-front.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (front != null) {
            front.close();
        }
        it.close();
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private int status(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The front's heap after a full collection (jcmd GC.run, twice), from its own JVM metrics. */
    private double heapAfterGc() throws Exception {
        front.jcmd("GC.run");
        front.jcmd("GC.run");
        return front.metric("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /**
     * The front's own threads (named quire-..., less HikariCP's quire-pg:..., which it starts and ends as it needs) as
     * "name #id", from a thread dump.
     */
    private java.util.Set<String> quireThreads() throws Exception {
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\"(quire-(?!pg:)[^\"]*)\" #(\\d+)")
                .matcher(front.jcmd("Thread.print"));
        while (m.find()) {
            names.add(m.group(1) + " #" + m.group(2));
        }
        return names;
    }

    private String url() {
        return front.url();
    }

    private static byte[] textUpdate(long client, String text) {
        return RawClient.textUpdate(client, text);
    }

    private static void await(RawClient c, byte[] expected) throws InterruptedException {
        c.await(expected);
    }

    private RawClient authenticated(String document) throws Exception {
        return RawClient.authenticated(url(), document);
    }

    /** Sends without caring whether the front closed the socket meanwhile: the attack's answer is not what is tested here. */
    private static void sendQuietly(RawClient c, byte[] frame) {
        try {
            c.send(frame);
        } catch (Exception closed) {
            // refused and closed: expected
        }
    }

    // ---- the hostile inputs of issue 15, each one bounded -------------------------------------------------------

    private void longNames() throws Exception {
        String name = "long-" + "x".repeat(3000);
        try (RawClient c = new RawClient(url())) {
            sendQuietly(c, HocuspocusCodec.update(Address.of(name), textUpdate(9, "x")));
            sendQuietly(c, RawClient.auth(name, "token", "4.7.0"));
            sendQuietly(c, RawClient.auth("doc\nforged", "token", "4.7.0"));
            Thread.sleep(50);
        }
        try (RawClient plain = new RawClient(url() + "/yjs/" + name)) {
            plain.closeCode.get(10, TimeUnit.SECONDS);
        }
    }

    private void nestedTypes(int round) throws Exception {
        try (RawClient c = authenticated("victim")) {
            sendQuietly(c, HocuspocusCodec.update(Address.of("victim"), HostileInputIT.nestedMaps(5000 + round, 5_500 + round % 5 * 1000)));
            Thread.sleep(100);
        }
    }

    private void oversizedUpdate(int round) throws Exception {
        try (RawClient c = authenticated("paste")) {
            sendQuietly(c, HocuspocusCodec.update(Address.of("paste"), textUpdate(6000 + round, "p".repeat(1_100_000))));
            Thread.sleep(100);
        }
    }

    private void preAuthFlood() throws Exception {
        byte[] chunk = HocuspocusCodec.update(Address.of("flood"), new byte[100 * 1024]);
        List<RawClient> flood = new ArrayList<>();
        try {
            for (int s = 0; s < 20; s++) {
                flood.add(new RawClient(url()));
            }
            for (int i = 0; i < 30; i++) {
                for (RawClient c : flood) {
                    if (!c.closeCode.isDone()) {
                        sendQuietly(c, chunk);
                    }
                }
            }
            sendQuietly(flood.get(0), new byte[] {0x0A}); // a Pong keeps nothing alive past the auth deadline
        } finally {
            flood.forEach(RawClient::close);
        }
    }

    /**
     * Three clients that stop reading while a writer pastes 8 MB and deletes it again, so that the document stays small
     * (deleted text is collected) while each stuck socket is sent far more than its buffer may hold.
     */
    private void stuckReaders(int round) throws Exception {
        List<WebSocket> stuck = new ArrayList<>();
        try (RawClient writer = authenticated("busy")) {
            for (int i = 0; i < 3; i++) {
                CompletableFuture<Void> authenticated = new CompletableFuture<>();
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url()), new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                        if (last) {
                            authenticated.complete(null); // and no request(): it stops reading
                        } else {
                            w.request(1);
                        }
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
                ws.sendBinary(ByteBuffer.wrap(RawClient.auth("busy", "token", "4.7.0")), true).get(5, TimeUnit.SECONDS);
                authenticated.get(10, TimeUnit.SECONDS);
                stuck.add(ws);
            }
            YDoc doc = new YDoc(7000 + round, true);
            List<byte[]> updates = new ArrayList<>();
            doc.onUpdate((u, tr) -> updates.add(u));
            for (int i = 0; i < 8; i++) {
                doc.getText("t").insert(0, "b".repeat(1_000_000));
                doc.getText("t").delete(0, 1_000_000);
            }
            for (byte[] u : updates) {
                writer.send(HocuspocusCodec.update(Address.of("busy"), u));
                await(writer, HocuspocusCodec.syncStatus(Address.of("busy"), true));
                writer.received.clear();
            }
        } finally {
            stuck.forEach(WebSocket::abort);
        }
    }

    private void rateFloods() throws Exception {
        try (RawClient c = new RawClient(url()); RawClient plain = new RawClient(url() + "/yjs/rated")) {
            for (int i = 0; i < 3000 && !c.closeCode.isDone(); i++) {
                sendQuietly(c, new byte[] {0x0A});
            }
            for (int i = 0; i < 3000 && !plain.closeCode.isDone(); i++) {
                sendQuietly(plain, new byte[] {3});
            }
        }
    }

    private void badAwareness(int round) throws Exception {
        try (RawClient c = authenticated("soak")) { // the providers' document
            long client = 8000 + round;
            sendQuietly(c, HocuspocusCodec.awareness(Address.of("soak"),
                    new AwarenessUpdate(List.of(new AwarenessUpdate.Entry(client, 1, "{not json"))).encode()));
        }
        try (RawClient c = authenticated("soak")) {
            List<AwarenessUpdate.Entry> many = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                many.add(new AwarenessUpdate.Entry(9000 + round * 100L + i, 1, "{\"user\":\"" + "u".repeat(200_000) + "\"}"));
            }
            sendQuietly(c, HocuspocusCodec.awareness(Address.of("soak"), new AwarenessUpdate(many).encode()));
        }
    }

    /** 20 concurrent reads of a 9 MB document, a name over the limit, a body over the limit. */
    private void apiAbuse() throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> gets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gets.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/api/documents/big?format=json"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.discarding()));
        }
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/api/documents/r" + "y".repeat(4000) + "/text/append"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port + "/api/documents/big/updates"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20 * 1024 * 1024])).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.discarding());
        for (CompletableFuture<HttpResponse<Void>> g : gets) {
            try {
                g.get(90, TimeUnit.SECONDS);
            } catch (Exception refused) {
                // a 503 or a reset is an answer too
            }
        }
    }

    @Test
    void providersConvergeAndEveryEditIsStoredUnderAMixedHostileLoad() throws Exception {
        it.with("QUIRE_MAX_UPDATE_BYTES", Integer.toString(1024 * 1024)).with("QUIRE_AUTH_TIMEOUT", "3s")
                .with("QUIRE_MAX_SOCKET_BUFFER_BYTES", Integer.toString(8 * 1024 * 1024)).with("QUIRE_MAX_MESSAGES_PER_SECOND", "500");
        try (Persister persister = Persister.start(it.with("QUIRE_PERSISTER_HTTP_PORT", "0").toEnv())) {
            front = FrontProcess.start(it.env, "512m", dir.resolve("front.log"));
            try (RawClient c = authenticated("big")) { // the document the API reads are aimed at, as in the issue: 9 MB
                for (int i = 0; i < 9; i++) {
                    c.send(HocuspocusCodec.update(Address.of("big"), textUpdate(100 + i, "g".repeat(1_000_000))));
                    await(c, HocuspocusCodec.syncStatus(Address.of("big"), true));
                    c.received.clear();
                }
            }
            double heapBefore = heapAfterGc();
            double threadsBefore = front.metric("jvm_threads_live_threads");
            java.util.Set<String> quireBefore = quireThreads();
            CountDownLatch ready = new CountDownLatch(1);
            CompletableFuture<JsonNode> editing = ItEnv.nodeAsync(l -> {
                if (l.equals("READY")) {
                    ready.countDown();
                }
            }, "restart", url(), "soak", Integer.toString(SOAK_SECONDS * 1000));
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("the providers synced").isTrue();

            AtomicBoolean editingDone = new AtomicBoolean();
            editing.whenComplete((r, e) -> editingDone.set(true));
            List<String> persisterNotReady = new java.util.concurrent.CopyOnWriteArrayList<>();
            Map<String, AtomicInteger> rounds = new ConcurrentHashMap<>();
            Thread watcher = new Thread(() -> {
                while (!editingDone.get()) {
                    try {
                        int s = status("http://127.0.0.1:" + persister.httpPort() + "/health/ready");
                        if (s != 200) {
                            persisterNotReady.add(System.currentTimeMillis() + ": " + s);
                        }
                        Thread.sleep(1000);
                    } catch (Exception e) {
                        persisterNotReady.add(e.toString());
                    }
                }
            });
            watcher.start();
            long end = System.currentTimeMillis() + SOAK_SECONDS * 1000L - 5_000;
            for (int round = 0; System.currentTimeMillis() < end && round < 1000; round++) {
                int r = round;
                // the heavy ones (8 MB pasted to stuck readers, 20 reads of a 9 MB document) every fourth round
                List<ThrowingRunnable> attacks = r % 4 == 0
                        ? List.of(this::longNames, () -> nestedTypes(r), () -> stuckReaders(r), this::apiAbuse)
                        : List.of(this::longNames, () -> nestedTypes(r), () -> oversizedUpdate(r), this::preAuthFlood,
                                this::rateFloods, () -> badAwareness(r));
                for (int i = 0; i < attacks.size(); i++) {
                    assertThat(front.process.isAlive()).as("the front runs (round %d, before attack %d): %s", r, i, front.logTail()).isTrue();
                    try {
                        attacks.get(i).run();
                        rounds.computeIfAbsent((r % 4 == 0 ? "heavy " : "light ") + i, k -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        rounds.computeIfAbsent((r % 4 == 0 ? "heavy " : "light ") + i + " failed: " + e.getClass().getSimpleName(),
                                k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                Thread.sleep(200);
            }
            JsonNode result = editing.get(300, TimeUnit.SECONDS);
            watcher.join(5_000);
            System.out.println("SOAK " + SOAK_SECONDS + " s: attacks " + new java.util.TreeMap<>(rounds) + "; providers " + result);

            if (!result.path("ok").asBoolean()) { // for a look at what the front was doing
                Files.writeString(Path.of("target", "hostile-soak-threads.txt"), front.jcmd("Thread.print"));
            }
            assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
            assertThat(result.path("missing")).as("a fresh client has every marker").isEmpty();
            assertThat(result.path("uncaught")).as("no provider threw").isEmpty();
            int markers = result.path("markers").asInt();
            assertThat(markers).isGreaterThan(SOAK_SECONDS * 5);
            assertThat(front.process.isAlive()).as(front.logTail()).isTrue();

            // every edit the providers made is in PostgreSQL, written by the persister
            String text = "";
            long deadline = System.currentTimeMillis() + 60_000;
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < markers / 2; i++) {
                expected.add("[A" + i + "]");
                expected.add("[B" + i + "]");
            }
            while (System.currentTimeMillis() < deadline) {
                text = storedText("soak");
                String t = text;
                if (expected.stream().allMatch(t::contains)) {
                    break;
                }
                Thread.sleep(500);
            }
            String stored = text;
            assertThat(expected.stream().filter(m -> !stored.contains(m)).toList()).as("markers missing in PostgreSQL").isEmpty();
            assertThat(persisterNotReady).as("the persister's readiness during the soak").isEmpty();
            assertThat(status("http://127.0.0.1:" + persister.httpPort() + "/health/ready")).isEqualTo(200);

            String log = front.log();
            assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("Exception in thread").doesNotContain("died of")
                    .doesNotContain("the tail consumer failed");
            double heapAfter = heapAfterGc();
            double threadsAfter = front.metric("jvm_threads_live_threads");
            System.out.printf("SOAK heap after a full GC: %.1f MB before, %.1f MB after; live threads %.0f before, %.0f after%n",
                    heapBefore / 1e6, heapAfter / 1e6, threadsBefore, threadsAfter);
            assertThat(heapAfter).as("heap after the load, after a full GC").isLessThan(heapBefore + 64 * 1024 * 1024);
            // Jetty's pool grows under load and shrinks after a minute idle; the front's own threads must all still run
            assertThat(quireThreads()).as("the front's threads alive before the load").containsAll(quireBefore);
            assertThat(threadsAfter).as("live threads (Jetty's pool at most 200)").isLessThan(threadsBefore + 200);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The text of root "content" after every update of {@code document} stored in PostgreSQL, applied in order. */
    private String storedText(String document) throws Exception {
        YDoc doc = new YDoc();
        try (Connection c = DriverManager.getConnection(it.env.get("QUIRE_DATABASE_URL"), it.env.get("QUIRE_DATABASE_USER"),
                it.env.get("QUIRE_DATABASE_PASSWORD")); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT update_v1 FROM it_" + it.id + ".document_updates WHERE document = '"
                    + document + "' ORDER BY kafka_offset")) {
                while (rs.next()) {
                    doc.applyUpdate(rs.getBytes(1));
                }
            }
        }
        return doc.getText("content").toString();
    }
}
