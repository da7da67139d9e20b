package dev.quire.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node script of src/test/js that a test steers while it runs: it prints one JSON event per line on stdout
 * ({@code {"event": ...}}) and reads commands, one per line, on stdin.
 */
public final class ScriptedNode implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    private ScriptedNode(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.out.println("[node] " + line);
                    try {
                        events.add(JSON.readTree(line));
                    } catch (IOException e) {
                        // not an event
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "node-events");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code node script args...} in the scripts directory; stderr goes to the test's stderr. */
    public static ScriptedNode start(String script, String... args) throws IOException {
        Path dir = Path.of(System.getProperty("quire.js.dir", "src/test/js"));
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        return new ScriptedNode(new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** Writes one command line to the script. */
    public void send(String command) throws IOException {
        process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** The next event named {@code name} (earlier events of other names are skipped), or an AssertionError. */
    public JsonNode await(String name, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            JsonNode e = left > 0 ? events.poll(Math.min(left, 500), TimeUnit.MILLISECONDS) : null;
            if (e == null) {
                if (left <= 0) {
                    throw new AssertionError("no \"" + name + "\" event from the node script within " + timeoutMillis + " ms");
                }
                if (!process.isAlive() && events.isEmpty()) {
                    Thread.sleep(200); // let the reader thread hand over the last lines
                    if (events.isEmpty()) {
                        throw new AssertionError("the node script exited (" + process.exitValue() + ") before its \"" + name + "\" event");
                    }
                }
                continue;
            }
            if (name.equals(e.path("event").asText())) {
                return e;
            }
            if ("result".equals(e.path("event").asText())) {
                throw new AssertionError("the node script ended while the test waited for \"" + name + "\": " + e);
            }
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
