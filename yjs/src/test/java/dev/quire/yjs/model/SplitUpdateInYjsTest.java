package dev.quire.yjs.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.yjs.Updates;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real yjs (pinned in src/test/js) applies the chunks of {@link Updates#splitUpdate} in order and ends
 * with the same {@code encodeStateAsUpdate} bytes and content as when it applies the original update.
 */
@Timeout(120)
class SplitUpdateInYjsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] MAX_BYTES = {32, 100, 400, 2048};

    @Test
    void yjsAppliesChunksToTheSameStateAsTheOriginal() throws Exception {
        Random rnd = new Random(20260514);
        StringBuilder input = new StringBuilder();
        List<String> labels = new ArrayList<>();
        int id = 0;
        for (int doc = 0; doc < 30; doc++) {
            boolean gc = doc % 3 != 0;
            List<YDoc> peers = new ArrayList<>();
            for (int p = 0; p < 1 + rnd.nextInt(3); p++) {
                peers.add(new YDoc(1000 + 77L * p, gc));
            }
            for (int step = 0; step < 30 + rnd.nextInt(120); step++) {
                RandomEditor.edit(peers.get(rnd.nextInt(peers.size())), rnd);
                if (rnd.nextInt(8) == 0) {
                    YDoc from = peers.get(rnd.nextInt(peers.size()));
                    YDoc to = peers.get(rnd.nextInt(peers.size()));
                    to.applyUpdate(from.encodeStateAsUpdate(to.encodeStateVector()));
                }
            }
            YDoc all = peers.get(0);
            peers.forEach(p -> all.applyUpdate(p.encodeStateAsUpdate(all.encodeStateVector())));
            byte[] state = all.encodeStateAsUpdate(null);
            input.append(line(id++, gc, List.of(state)));
            labels.add("doc " + doc + " original");
            for (int max : MAX_BYTES) {
                input.append(line(id++, gc, Updates.splitUpdate(state, max)));
                labels.add("doc " + doc + " max=" + max);
            }
        }
        List<JsonNode> results = JavaEditsInYjsTest.runNode(input.toString());
        assertThat(results).hasSize(labels.size());
        int compared = 0;
        JsonNode original = null;
        for (int i = 0; i < results.size(); i++) {
            JsonNode r = results.get(i);
            assertThat(r.has("error")).as("yjs rejected %s: %s", labels.get(i), r.path("error").asText()).isFalse();
            if (i % (MAX_BYTES.length + 1) == 0) {
                original = r;
                continue;
            }
            assertThat(r.get("state").asText()).as("state of %s", labels.get(i)).isEqualTo(original.get("state").asText());
            assertThat(r.get("json")).as("content of %s", labels.get(i)).isEqualTo(original.get("json"));
            compared++;
        }
        System.out.printf("splitUpdate in yjs: %d splits applied by yjs with the original's state%n", compared);
    }

    private static String line(int id, boolean gc, List<byte[]> updates) throws Exception {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("gc", gc);
        o.put("clientID", 4242);
        ArrayNode arr = o.putArray("updates");
        updates.forEach(u -> arr.add(Base64.getEncoder().encodeToString(u)));
        ObjectNode roots = o.putObject("roots");
        RandomEditor.ROOTS.forEach(roots::put);
        return JSON.writeValueAsString(o) + "\n";
    }
}
