package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How long an HTTP connection to a front may take over its headers or stay idle.
 */
@Timeout(120)
class HttpGuardsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ItEnv it;
    private static FrontServer front;

    @BeforeAll
    static void start() {
        it = new ItEnv().with("QUIRE_HTTP_HEADER_TIMEOUT", "2s").with("QUIRE_HTTP_IDLE_TIMEOUT", "1s");
        front = it.start();
    }

    @AfterAll
    static void stop() throws Exception {
        front.close();
        it.close();
    }

    private static int read(String document) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/api/documents/" + document + "?format=text"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
