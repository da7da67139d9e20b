package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.core.config.ConfigException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A front without authentication (as {@code quire dev} runs one): where it may listen, which web pages may use it,
 * and how long an HTTP connection may take over its headers or stay idle.
 */
@Timeout(120)
class HttpGuardsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ALLOWED = "https://editor.example.com";
    private static ItEnv it;
    private static FrontServer front;

    @BeforeAll
    static void start() {
        it = new ItEnv().with("QUIRE_ALLOWED_ORIGINS", ALLOWED + ", http://devbox:3000")
                .with("QUIRE_HTTP_HEADER_TIMEOUT", "2s").with("QUIRE_HTTP_IDLE_TIMEOUT", "1s");
        front = it.start();
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        it.close();
    }

    private static HttpResponse<String> append(String document, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/api/documents/" + document + "/text/append"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("from " + origin));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int read(String document) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/api/documents/" + document + "?format=text"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void withoutAuthenticationTheFrontRefusesToListenBeyondLoopbackUnlessToldTo() throws Exception {
        for (String host : new String[] {"0.0.0.0", "::"}) {
            assertThatThrownBy(() -> FrontServer.start(new ItEnv().with("QUIRE_SERVER_HOST", host).toEnv()).close())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("QUIRE_SERVER_HOST='" + host + "'")
                    .hasMessageContaining("QUIRE_ALLOW_UNAUTHENTICATED_NETWORK=true")
                    .hasMessageContaining("QUIRE_AUTH=jwt");
        }
        ItEnv told = new ItEnv().with("QUIRE_SERVER_HOST", "0.0.0.0").with("QUIRE_ALLOW_UNAUTHENTICATED_NETWORK", "true");
        try (FrontServer open = told.start()) {
            assertThat(open.port()).isPositive();
        } finally {
            told.close();
        }
        ItEnv jwt = new ItEnv().with("QUIRE_SERVER_HOST", "0.0.0.0").with("QUIRE_AUTH", "jwt")
                .with("QUIRE_JWT_SECRET", "http-guards-it-secret-0123456789abcdef");
        try (FrontServer open = jwt.start()) {
            assertThat(open.port()).isPositive();
        } finally {
            jwt.close();
        }
        ItEnv loopback = new ItEnv().with("QUIRE_SERVER_HOST", "localhost");
        try (FrontServer local = loopback.start()) {
            assertThat(local.port()).isPositive();
        } finally {
            loopback.close();
        }
    }

    @Test
    void pagesOfOtherOriginsAreRefusedWith403AndWriteNothing() throws Exception {
        for (String origin : new String[] {"https://evil.example", "null", "http://127.0.0.1.evil.example:" + front.port(),
                "http://rebound.example:" + front.port(), "http://devbox:3001", "not an origin"}) {
            String document = "foreign-" + Math.abs(origin.hashCode());
            HttpResponse<String> r = append(document, origin);
            assertThat(r.statusCode()).as("%s: %s", origin, r.body()).isEqualTo(403);
            assertThat(r.body()).contains("QUIRE_ALLOWED_ORIGINS");
            assertThat(read(document)).as("nothing written for %s", origin).isEqualTo(404);
        }
        // DNS rebinding: a foreign name resolving to this front sends its own name as the Host, matching its Origin
        try (Socket s = new Socket("127.0.0.1", front.port())) {
            String body = "rebound";
            s.getOutputStream().write(("POST /api/documents/rebound/text/append HTTP/1.1\r\nHost: rebound.example:" + front.port()
                    + "\r\nOrigin: http://rebound.example:" + front.port() + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 403");
        }
        assertThat(read("rebound")).isEqualTo(404);
    }

    @Test
    void pagesOfThisMachineAndOfTheAllowedOriginsAreServed() throws Exception {
        for (String origin : new String[] {"http://127.0.0.1:" + front.port(), "http://localhost:5173", "http://[::1]:8080",
                "http://app.localhost", ALLOWED, "HTTPS://Editor.Example.com:443", "http://devbox:3000", null}) {
            HttpResponse<String> r = append("served", origin);
            assertThat(r.statusCode()).as("%s: %s", origin, r.body()).isEqualTo(200);
        }
    }

    /** A WebSocket opened by {@code java.net.http}, with an Origin header: completes with its close code, or the failure. */
    private static CompletableFuture<WebSocket> socket(String path, String origin, CompletableFuture<Integer> closed) {
        return HTTP.newWebSocketBuilder().header("Origin", origin).buildAsync(URI.create("ws://127.0.0.1:" + front.port() + path),
                new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onClose(WebSocket ws, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }
                });
    }

    @Test
    void webSocketUpgradesFromOtherOriginsAreRefusedWith403() throws Exception {
        for (String path : new String[] {"/", "/hocuspocus", "/yjs/ws-origin"}) {
            CompletableFuture<WebSocket> refused = socket(path, "https://evil.example", new CompletableFuture<>());
            assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS))
                    .satisfies(e -> assertThat(handshake(e)).as("%s: the handshake failed", path).isNotNull()
                            .extracting(h -> h.getResponse().statusCode()).isEqualTo(403));
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ok = socket(path, "http://127.0.0.1:" + front.port(), closed).get(10, TimeUnit.SECONDS);
            // longer than QUIRE_HTTP_IDLE_TIMEOUT (1 s): a WebSocket has its own idle timeout
            Thread.sleep(1_500);
            assertThat(closed).as(path).isNotDone();
            ok.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        }
    }

    private static java.net.http.WebSocketHandshakeException handshake(Throwable e) {
        for (; e != null; e = e.getCause()) {
            if (e instanceof java.net.http.WebSocketHandshakeException h) {
                return h;
            }
        }
        return null;
    }

    /** Whether the server closed the connection, reading for at most {@code millis}. */
    private static boolean closedWithin(Socket s, long millis) throws Exception {
        s.setSoTimeout((int) Math.max(1, millis));
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[4096];
            for (int n; (n = in.read(b)) >= 0; ) {
                if (n > 0) {
                    throw new AssertionError("the server answered: " + new String(b, 0, n, StandardCharsets.US_ASCII));
                }
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Test
    void aClientTricklingItsHeadersIsDisconnectedWithinTheHeaderTimeout() throws Exception {
        for (String start : new String[] {"GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n", "GET /api/documents/slow", ""}) {
            try (Socket s = new Socket("127.0.0.1", front.port())) {
                long t0 = System.nanoTime();
                OutputStream out = s.getOutputStream();
                out.write(start.getBytes(StandardCharsets.US_ASCII));
                boolean closed = false;
                // one byte every 300 ms: well inside the idle timeout (1 s), never a complete request
                while (!closed && System.nanoTime() - t0 < 8_000_000_000L) {
                    try {
                        out.write(start.isEmpty() ? '\n' : 'x');
                        out.flush();
                    } catch (SocketException e) {
                        closed = true;
                        break;
                    }
                    closed = closedWithin(s, 300);
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("SLOW HEADERS '%s...': closed=%s after %d ms (QUIRE_HTTP_HEADER_TIMEOUT=2s)%n",
                        start.replace("\r\n", "\\r\\n"), closed, ms);
                assertThat(closed).as("the connection was closed").isTrue();
                assertThat(ms).as("closed after the 2 s bound and soon after it").isBetween(1_900L, 4_000L);
            }
        }
        assertThat(read("anything")).as("other clients are served meanwhile").isEqualTo(404);
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheHttpIdleTimeout() throws Exception {
        try (Socket s = new Socket("127.0.0.1", front.port())) {
            s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5_000);
            byte[] b = new byte[4096];
            int n = s.getInputStream().read(b);
            assertThat(new String(b, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200").contains("nosniff");
            long t0 = System.nanoTime();
            boolean closed = closedWithin(s, 5_000);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(closed).isTrue();
            assertThat(ms).as("closed after QUIRE_HTTP_IDLE_TIMEOUT=1s").isBetween(800L, 3_000L);
        }
    }
}
