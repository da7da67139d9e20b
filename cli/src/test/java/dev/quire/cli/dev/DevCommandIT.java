package dev.quire.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar quire.jar dev} as a user runs it: it starts its own PostgreSQL and Kafka, a written document
 * is stored by its persister, is still there after a restart on the same directory, and is gone after --reset.
 */
@Timeout(600)
class DevCommandIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    /** A running {@code quire dev} and what it printed. */
    record Dev(Process process, List<String> lines) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: the shutdown hook stops front, persister, Kafka and PostgreSQL
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("quire dev stopped on SIGTERM").isTrue();
        }
    }

    private Dev start(Path data, int port, String... more) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of("target", "quire.jar").toString(), "dev", "--data", data.toString(), "--port", Integer.toString(port)));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("dev.log").toFile())).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[dev] " + line);
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        long deadline = System.currentTimeMillis() + 240_000;
        while (!lines.contains("quire dev: ready")) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("quire dev did not get ready: " + lines + "\n" + Files.readString(tmp.resolve("dev.log")));
            }
            Thread.sleep(100);
        }
        return new Dev(p, lines);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The demo pages in Debian's headless Chromium (web/test/browser.mjs, playwright-core): see that script. */
    @Test
    void theDemoEditorSyncsTwoTabsWithCaretsAndTheHistorySliderMoves() throws Exception {
        int port = freePort();
        try (Dev dev = start(tmp.resolve("browser"), port)) {
            assertThat(dev.lines()).as("the demo pages were built and are served").anyMatch(l -> l.contains("demo editor"));
            Path web = Path.of(System.getProperty("quire.root", ".."), "web");
            Process browser = new ProcessBuilder("node", "test/browser.mjs", "http://127.0.0.1:" + port, "browser-test")
                    .directory(web.toFile()).redirectErrorStream(true).start();
            String out = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(browser.waitFor(180, TimeUnit.SECONDS)).isTrue();
            System.out.println("[browser] " + out);
            assertThat(browser.exitValue()).as(out).isZero();
            assertThat(out).contains("\"typedTextReachesOtherTab\":true", "\"caretOfOtherUser\":true",
                    "\"sliderShowsAnEarlierVersion\":true", "\"ok\":true");
        }
    }

    @Test
    void oneCommandRunsEverythingAndKeepsDocumentsAcrossRestartsUntilReset() throws Exception {
        Path data = tmp.resolve("data");
        int port = freePort();
        try (Dev dev = start(data, port)) {
            assertThat(dev.lines()).anyMatch(l -> l.contains("ws://127.0.0.1:" + port));
            HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/documents/first-try/text/append")).POST(HttpRequest.BodyPublishers.ofString("hello from quire dev")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isBetween(200, 299);
            assertThat(get(port, "/api/documents/first-try?format=text").body()).isEqualTo("hello from quire dev");
            // the persister of the same process writes the history to the embedded PostgreSQL
            long deadline = System.currentTimeMillis() + 30_000;
            String history = get(port, "/api/documents/first-try/history").body();
            while (!history.contains("\"offset\"") && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                history = get(port, "/api/documents/first-try/history").body();
            }
            assertThat(history).as("history written by the persister").contains("\"offset\"");
        }
        assertThat(data.resolve(DevCommand.MARKER)).exists();

        try (Dev again = start(data, port)) {
            assertThat(get(port, "/api/documents/first-try?format=text").body()).as("after a restart").isEqualTo("hello from quire dev");
        }

        try (Dev reset = start(data, port, "--reset")) {
            assertThat(reset.lines()).anyMatch(l -> l.contains("(reset)"));
            assertThat(get(port, "/api/documents/first-try?format=text").statusCode()).as("gone after --reset").isEqualTo(404);
        }
    }

    /** An IPv4 address of this machine other than loopback, or null. */
    private static java.net.InetAddress networkAddress() throws Exception {
        for (java.net.NetworkInterface i : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            if (i.isUp() && !i.isLoopback()) {
                for (java.net.InetAddress a : java.util.Collections.list(i.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    private static HttpResponse<String> appendFrom(int port, String document, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/documents/" + document + "/text/append"))
                .header("Content-Type", "text/plain").header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString("from " + origin))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Authentication is off, so: other hosts cannot connect (it listens on 127.0.0.1), and a page of another site
     * open in the developer's browser cannot write either (a text/plain POST needs no CORS preflight).
     */
    @Test
    void itListensOnLoopbackOnlyAndRefusesPagesOfOtherSites() throws Exception {
        java.net.InetAddress network = networkAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(network != null, "this machine has no address but loopback");
        int port = freePort();
        try (Dev dev = start(tmp.resolve("local"), port)) {
            HttpResponse<String> foreign = appendFrom(port, "from-a-page", "https://attacker.example");
            assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
            assertThat(get(port, "/api/documents/from-a-page?format=text").statusCode()).as("nothing written").isEqualTo(404);
            HttpResponse<String> demo = appendFrom(port, "from-a-page", "http://127.0.0.1:" + port);
            assertThat(demo.statusCode()).as("the demo pages' own origin").isEqualTo(200);
            assertThatThrownBy(() -> new java.net.Socket(network, port).close()).as("connecting to %s:%d", network, port)
                    .isInstanceOf(java.net.ConnectException.class);
        }
    }
}
