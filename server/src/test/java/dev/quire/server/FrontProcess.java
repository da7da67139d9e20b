package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A front as its own JVM ({@link ItEnv#frontProcess}), started and live, with its log, metrics and process. */
final class FrontProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Process process;
    final int port;
    private final Path log;

    private FrontProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a front with {@code env} and a heap of {@code heap} (an -Xmx value), its output in {@code log}, and waits until it is live. */
    static FrontProcess start(Map<String, String> env, String heap, Path log) throws Exception {
        int port = ItEnv.freePort();
        ProcessBuilder pb = ItEnv.frontProcess(env, heap).redirectOutput(log.toFile());
        pb.environment().put("QUIRE_SERVER_PORT", Integer.toString(port));
        FrontProcess f = new FrontProcess(pb.start(), port, log);
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(f.process.isAlive()).as("the front process runs: %s", f.logTail()).isTrue();
            try {
                if (f.status("/health/live") == 200) {
                    return f;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        f.close();
        throw new AssertionError("the front did not start: " + f.logTail());
    }

    String url() {
        return "ws://127.0.0.1:" + port;
    }

    int status(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The sum of the series of metric {@code name} whose line contains {@code labelPart} (0 when there is none). */
    double metric(String name, String labelPart) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        for (String line : body.split("\n")) {
            if ((line.startsWith(name + " ") || line.startsWith(name + "{")) && line.contains(labelPart)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    double metric(String name) throws Exception {
        return metric(name, "");
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** The last 4,000 characters of the log, for assertion messages. */
    String logTail() {
        String s = log();
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    /** Runs {@code jcmd <pid> <command>} against the front and returns what it printed. */
    String jcmd(String... command) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(process.pid())));
        cmd.addAll(java.util.List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
