package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.core.DocumentNames;
import dev.quire.server.auth.JwtAuthenticatorTestTokens;
import dev.quire.yjs.model.YDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The documents API of a front with JWT auth, on real Kafka and PostgreSQL. */
@Timeout(120)
class DocumentsApiIT {
    private static final String SECRET = "documents-api-it-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ItEnv it;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FrontServer front;
    private static String base;
    private static String rw;

    @BeforeAll
    static void start() throws Exception {
        it = new ItEnv().with("QUIRE_KAFKA_PARTITIONS", "2").with("QUIRE_AUTH", "jwt").with("QUIRE_JWT_SECRET", SECRET);
        front = it.start();
        base = "http://127.0.0.1:" + front.port() + "/api/documents/";
        rw = JwtAuthenticatorTestTokens.token(SECRET, "{}");
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        it.close();
    }

    private static HttpResponse<byte[]> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(String path, String token, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static byte[] textInsert(String root, String s) {
        YDoc doc = new YDoc();
        List<byte[]> out = new ArrayList<>();
        doc.onUpdate((u, tr) -> out.add(u));
        doc.getText(root).insert(0, s);
        return out.get(0);
    }

    @Test
    void anUpdatePostedIsReadBackAsTextJsonAndYjsAndTextCanBeAppended() throws Exception {
        HttpResponse<byte[]> posted = post("notes/welcome/updates", rw, textInsert("content", "hello"));
        assertThat(posted.statusCode()).as(text(posted)).isEqualTo(200);
        assertThat(json(posted).get("offset").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(json(posted).has("partition")).isTrue();

        HttpResponse<byte[]> asText = get("notes/welcome?format=text", rw);
        assertThat(asText.statusCode()).isEqualTo(200);
        assertThat(text(asText)).isEqualTo("hello");
        HttpResponse<byte[]> asJson = get("notes/welcome", rw);
        assertThat(asJson.statusCode()).isEqualTo(200);
        assertThat(json(asJson).path("roots").path("content").asText()).isEqualTo("hello");
        HttpResponse<byte[]> asYjs = get("notes/welcome?format=yjs", rw);
        YDoc copy = new YDoc();
        copy.applyUpdate(asYjs.body());
        assertThat(copy.getText("content").toString()).isEqualTo("hello");

        HttpResponse<byte[]> appended = post("notes/welcome/text/append?root=content", rw, " world".getBytes(StandardCharsets.UTF_8));
        assertThat(appended.statusCode()).as(text(appended)).isEqualTo(200);
        assertThat(json(appended).get("offset").asLong()).isGreaterThan(json(posted).get("offset").asLong());
        assertThat(text(get("notes/welcome?format=text", rw))).isEqualTo("hello world");

        assertThat(get("notes/welcome?format=xml", rw).statusCode()).isEqualTo(400);
        HttpResponse<byte[]> unknown = get("notes/nobody-wrote-this", rw);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("unknown document");
    }

    /** A y-websocket client presenting its token as {@code Authorization: Bearer}; records frames and the close code. */
    private static final class BearerSocket implements java.net.http.WebSocket.Listener {
        final java.util.concurrent.BlockingQueue<byte[]> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        private java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        final java.net.http.WebSocket ws;

        BearerSocket(String document, String token) throws Exception {
            java.net.http.WebSocket.Builder b = HTTP.newWebSocketBuilder();
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            ws = b.buildAsync(URI.create("ws://127.0.0.1:" + front.port() + "/yjs/" + document), this)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onBinary(java.net.http.WebSocket w, java.nio.ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                frames.add(partial.toByteArray());
                partial = new java.io.ByteArrayOutputStream();
            }
            w.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(java.net.http.WebSocket w, Throwable error) {
            closed.complete(-1);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void yWebsocketTakesTheTokenAsABearerHeaderAndSeesUpdatesPostedThroughTheApi() throws Exception {
        String token = JwtAuthenticatorTestTokens.token(SECRET, "{\"docs\":[\"ws-*\"]}");
        BearerSocket denied = new BearerSocket("other-doc", token);
        assertThat(denied.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4403);
        BearerSocket anonymous = new BearerSocket("ws-doc", null);
        assertThat(anonymous.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4401);

        BearerSocket client = new BearerSocket("ws-doc", token);
        // y-websocket sync step 1 with an empty state vector: [0 sync][0 step 1][varBytes [0]]
        client.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 1, 0}), true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(client.frames.poll(10, java.util.concurrent.TimeUnit.SECONDS)).as("the front answers the sync").isNotNull();
        byte[] update = textInsert("content", "from the API");
        assertThat(post("ws-doc/updates", token, update).statusCode()).isEqualTo(200);
        boolean seen = false;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!seen && System.nanoTime() < deadline) {
            byte[] f = client.frames.poll(1, java.util.concurrent.TimeUnit.SECONDS);
            seen = f != null && contains(f, update);
        }
        assertThat(seen).as("the API update reaches the connected client of the same front").isTrue();
        assertThat(client.closed).isNotDone();
        client.ws.sendClose(1000, "").get(5, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void tokensAreRequiredAndTheirClaimsEnforced() throws Exception {
        byte[] update = textInsert("content", "x");
        HttpResponse<byte[]> none = post("secure/a/updates", null, update);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).get("error").asText()).contains("Bearer");
        assertThat(get("secure/a", null).statusCode()).isEqualTo(401);
        assertThat(post("secure/a/updates", "not-a-token", update).statusCode()).isEqualTo(403);
        String other = JwtAuthenticatorTestTokens.token(SECRET, "{\"docs\":[\"other/*\"]}");
        assertThat(post("secure/a/updates", other, update).statusCode()).isEqualTo(403);
        assertThat(get("secure/a", other).statusCode()).isEqualTo(403);
        String readOnly = JwtAuthenticatorTestTokens.token(SECRET, "{\"docs\":[\"secure/*\"],\"readOnly\":true}");
        assertThat(post("secure/a/updates", readOnly, update).statusCode()).isEqualTo(403);
        assertThat(post("secure/a/text/append", readOnly, "y".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);
        assertThat(get("secure/a", readOnly).statusCode()).isEqualTo(404); // allowed to read; nothing was written
        String writer = JwtAuthenticatorTestTokens.token(SECRET, "{\"docs\":[\"secure/*\"]}");
        assertThat(post("secure/a/updates", writer, update).statusCode()).isEqualTo(200);
        assertThat(text(get("secure/a?format=text", readOnly))).isEqualTo("x");
    }

    @Test
    void aMalformedUpdateIsRefusedWith400AndNothingIsProduced() throws Exception {
        HttpResponse<byte[]> bad = post("bad/one/updates", rw, new byte[] {1, 1, 1, 1});
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("invalid Yjs update");
        assertThat(post("bad/one/updates", rw, new byte[0]).statusCode()).isEqualTo(400);
        assertThat(get("bad/one", rw).statusCode()).isEqualTo(404); // the log holds nothing for it
    }

    @Test
    void historyAndVersionsAreReadFromThePersistedRows() throws Exception {
        String doc = "hist/doc";
        byte[] first = textInsert("content", "v1");
        YDoc d = new YDoc();
        d.applyUpdate(first);
        List<byte[]> second = new ArrayList<>();
        d.onUpdate((u, tr) -> second.add(u));
        d.getText("content").insert(2, "+v2");
        Instant t1 = Instant.parse("2026-01-01T10:00:00Z");
        Instant t2 = Instant.parse("2026-01-01T11:00:00Z");
        try (Connection c = DriverManager.getConnection(it.env.get("QUIRE_DATABASE_URL"), it.env.get("QUIRE_DATABASE_USER"),
                it.env.get("QUIRE_DATABASE_PASSWORD"));
             PreparedStatement ps = c.prepareStatement("INSERT INTO it_" + it.id + ".document_updates "
                     + "(topic_partition, kafka_offset, document, kafka_timestamp, origin, update_v1) VALUES (1, ?, ?, ?, 'it', ?)")) {
            ps.setLong(1, 100_000);
            ps.setString(2, doc);
            ps.setTimestamp(3, Timestamp.from(t1));
            ps.setBytes(4, first);
            ps.executeUpdate();
            ps.setLong(1, 100_001);
            ps.setTimestamp(3, Timestamp.from(t2));
            ps.setBytes(4, second.get(0));
            ps.executeUpdate();
        }
        JsonNode page = json(get(doc + "/history?limit=1", rw));
        assertThat(page.get("versions")).hasSize(1);
        JsonNode v = page.get("versions").get(0);
        assertThat(v.get("partition").asInt()).isEqualTo(1);
        assertThat(v.get("offset").asLong()).isEqualTo(100_000);
        assertThat(v.get("time").asText()).isEqualTo(t1.toString());
        assertThat(v.get("origin").asText()).isEqualTo("it");
        assertThat(v.get("size").asInt()).isEqualTo(first.length);
        assertThat(page.get("next").asLong()).isEqualTo(100_000);
        JsonNode rest = json(get(doc + "/history?after=100000&limit=10", rw));
        assertThat(rest.get("versions")).hasSize(1);
        assertThat(rest.get("next").isNull()).isTrue();

        assertThat(text(get(doc + "/versions/at?offset=100000&format=text", rw))).isEqualTo("v1");
        assertThat(text(get(doc + "/versions/at?offset=100001&format=text", rw))).isEqualTo("v1+v2");
        assertThat(text(get(doc + "/versions/at?time=2026-01-01T10:30:00Z&format=text", rw))).isEqualTo("v1");
        JsonNode at = json(get(doc + "/versions/at?time=2026-01-01T12:00:00Z", rw));
        assertThat(at.get("offset").asLong()).isEqualTo(100_001);
        assertThat(at.path("roots").path("content").asText()).isEqualTo("v1+v2");

        assertThat(get(doc + "/versions/at?offset=abc", rw).statusCode()).isEqualTo(400);
        assertThat(get(doc + "/versions/at?time=yesterday", rw).statusCode()).isEqualTo(400);
        assertThat(get(doc + "/versions/at", rw).statusCode()).isEqualTo(400);
        assertThat(get(doc + "/versions/at?offset=5", rw).statusCode()).isEqualTo(404);
        assertThat(get(doc + "/versions/at?time=2025-01-01T00:00:00Z", rw).statusCode()).isEqualTo(404);
        assertThat(get(doc + "/history?limit=0", rw).statusCode()).isEqualTo(400);
        assertThat(get("hist/none/history", rw).statusCode()).isEqualTo(404);
        assertThat(get("hist/none/versions/at?offset=1", rw).statusCode()).isEqualTo(404);
        // the current state includes the persisted rows
        assertThat(text(get(doc + "?format=text", rw))).isEqualTo("v1+v2");
    }

    /** Names that break {@link DocumentNames}' rule, as they appear in a path, and as decoded. */
    private static final List<String[]> BAD_NAMES = List.of(
            new String[] {"r" + "x".repeat(4000), "r" + "x".repeat(4000)},
            new String[] {"%C3%A9".repeat(513), "\u00e9".repeat(513)}, // 513 characters, 1,026 bytes of UTF-8
            new String[] {"line%0Abreak", "line\nbreak"},
            new String[] {"%20%20", "  "});

    @Test
    void aNameOutsideTheRuleIsRefusedWith400OnEveryPathAndNothingIsWritten() throws Exception {
        byte[] update = textInsert("content", "x");
        for (String[] bad : BAD_NAMES) {
            String path = bad[0];
            String problem = DocumentNames.problem(bad[1]);
            assertThat(problem).isNotNull();
            List<HttpResponse<byte[]>> answers = List.of(post(path + "/updates", rw, update),
                    post(path + "/text/append", rw, "y".getBytes(StandardCharsets.UTF_8)), get(path, rw), get(path + "?format=text", rw),
                    get(path + "/history", rw), get(path + "/versions/at?offset=0", rw));
            for (HttpResponse<byte[]> r : answers) {
                assertThat(r.statusCode()).as("%s %s: %s", r.request().method(), DocumentNames.forLog(bad[1]), text(r)).isEqualTo(400);
                assertThat(r.headers().firstValue("Content-Type").orElse("")).as("%s %s: %.300s", r.request().method(),
                        DocumentNames.forLog(bad[1]), text(r)).startsWith("application/json");
                assertThat(json(r).get("error").asText()).isEqualTo(problem);
            }
        }
        // Jetty refuses an encoded NUL in a path itself (400, its own page): it never reaches the API
        assertThat(post("nul%00name/updates", rw, update).statusCode()).isEqualTo(400);
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", front.port())) { // java.net.URI refuses to send it
            s.getOutputStream().write(("POST /api/documents/bad%zzescape/updates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + rw
                    + "\r\nContent-Length: " + update.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(update);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).as("a malformed %%-escape").startsWith("HTTP/1.1 400");
        }

        Set<String> keys = new HashSet<>();
        it.records((key, value) -> keys.add(key));
        for (String[] bad : BAD_NAMES) {
            assertThat(keys).as("no record for %s", DocumentNames.forLog(bad[1])).doesNotContain(bad[1]);
        }
        assertThat(keys).allMatch(DocumentNames::isValid);
    }

    @Test
    void aBodyOverTheLimitIs413WithTheLimitNamedAndNoExceptionText() throws Exception {
        byte[] big = new byte[1_000_001];
        java.util.Arrays.fill(big, (byte) 'a');
        List<HttpResponse<byte[]>> answers = new ArrayList<>(List.of(post("big/one/updates", rw, big),
                post("big/one/text/append", rw, big)));
        // without a Content-Length (chunked), the limit is found while reading
        answers.add(HTTP.send(HttpRequest.newBuilder(URI.create(base + "big/one/text/append")).header("Authorization", "Bearer " + rw)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
        for (HttpResponse<byte[]> r : answers) {
            assertThat(r.statusCode()).as(text(r)).isEqualTo(413);
            assertThat(json(r).get("error").asText()).contains("1000000 bytes", "QUIRE_API_MAX_BODY_BYTES").doesNotContain("javalin", "Exception");
        }
        assertThat(get("big/one", rw).statusCode()).as("nothing was written").isEqualTo(404);
        HttpResponse<byte[]> justUnder = post("big/one/text/append", rw, java.util.Arrays.copyOf(big, 1_000_000));
        assertThat(justUnder.statusCode()).as(text(justUnder)).isEqualTo(200);
    }

    @Test
    void anInternalErrorNamesARequestIdThatTheLogCarriesAndNothingElse() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                dev.quire.server.http.DocumentsApi.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        String table = "it_" + it.id + ".document_updates";
        try (Connection c = DriverManager.getConnection(it.env.get("QUIRE_DATABASE_URL"), it.env.get("QUIRE_DATABASE_USER"),
                it.env.get("QUIRE_DATABASE_PASSWORD"))) {
            c.createStatement().execute("ALTER TABLE " + table + " RENAME TO document_updates_away");
            HttpResponse<byte[]> r;
            try {
                r = get("fails/history", rw);
            } finally {
                c.createStatement().execute("ALTER TABLE it_" + it.id + ".document_updates_away RENAME TO document_updates");
            }
            assertThat(r.statusCode()).isEqualTo(500);
            String error = json(r).get("error").asText();
            String id = r.headers().firstValue("Quire-Request-Id").orElseThrow();
            assertThat(error).isEqualTo("internal error (request " + id + ", in the front's log)");
            assertThat(logged.list).anyMatch(e -> e.getFormattedMessage().contains("(request " + id + ")") && e.getThrowableProxy() != null);
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void everyApiAnswerForbidsContentSniffing() throws Exception {
        assertThat(post("sniff/doc/text/append", rw, "<html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        List<HttpResponse<byte[]>> answers = List.of(get("sniff/doc?format=text", rw), get("sniff/doc?format=json", rw),
                get("sniff/doc?format=yjs", rw), get("sniff/doc/history", rw), get("sniff/none", rw), get("sniff/doc?format=xml", rw),
                get("sniff/doc", null), post("sniff/doc/nothing", rw, new byte[1]));
        for (HttpResponse<byte[]> r : answers) {
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as("%s %s", r.statusCode(), r.uri()).hasValue("nosniff");
        }
        assertThat(text(answers.get(0))).isEqualTo("<html><script>alert(1)</script>");
        assertThat(answers.get(0).headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    }
}
