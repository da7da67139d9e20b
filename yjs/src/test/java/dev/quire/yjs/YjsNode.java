package dev.quire.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real yjs (pinned in src/test/js) through {@code apply-updates.mjs}: each request applies v1 updates
 * to a fresh {@code Y.Doc({gc})} with a given clientID; each answer holds the state, state vector, root
 * renderings and pending flags yjs ended with. Batch the requests: one Node process serves them all.
 */
public final class YjsNode {
    private static final ObjectMapper JSON = new ObjectMapper();

    private YjsNode() {
    }

    /** One request line: {@code roots} maps root names to {@code text|map|array|xmlFragment}. */
    public static String request(int id, boolean gc, long clientId, List<byte[]> updates, Map<String, String> roots) {
        return request(id, gc, clientId, updates, roots, false);
    }

    /**
     * As above; with {@code typeRootsFirst} the roots are typed before the updates are applied, as an editor binds
     * them before it syncs (yjs cleans up format items after a remote transaction only in a typed Y.Text).
     */
    public static String request(int id, boolean gc, long clientId, List<byte[]> updates, Map<String, String> roots,
                                 boolean typeRootsFirst) {
        ObjectNode o = JSON.createObjectNode();
        if (typeRootsFirst) {
            o.put("typeRootsFirst", true);
        }
        o.put("id", id);
        o.put("gc", gc);
        o.put("clientID", clientId);
        ArrayNode arr = o.putArray("updates");
        updates.forEach(u -> arr.add(Base64.getEncoder().encodeToString(u)));
        ObjectNode r = o.putObject("roots");
        roots.forEach(r::put);
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers to the {@link #request} lines of {@code input}, in order. */
    public static List<JsonNode> applyUpdates(String input) throws Exception {
        Path dir = Path.of(System.getProperty("quire.js.dir", "src/test/js"));
        Process p = new ProcessBuilder("node", "apply-updates.mjs").directory(dir.toFile()).redirectErrorStream(false).start();
        try (OutputStream os = p.getOutputStream()) {
            os.write(input.getBytes(StandardCharsets.UTF_8));
        }
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(JSON.readTree(line));
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return out;
    }
}
