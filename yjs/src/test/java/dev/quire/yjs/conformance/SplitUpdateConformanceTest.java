package dev.quire.yjs.conformance;

import static dev.quire.yjs.conformance.Corpus.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.SplitAssertions;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Updates.splitUpdate} on the updates yjs 13.6.33 wrote for the corpus: its merges (with Skips when
 * updates were lost) and the states of its documents (gc on and off, some with pending structs). Each is
 * split with a small and a medium {@code maxBytes} and checked with {@link SplitAssertions}; the documents
 * built from the chunks of a yjs state must also render the JSON yjs rendered for it.
 */
class SplitUpdateConformanceTest {
    private static final int[] SMALL = {24, 64, 128, 200};
    private static final int MEDIUM = 1024;

    @Test
    void chunksOfCorpusUpdatesGiveTheSameDocuments() throws Exception {
        List<JsonNode> cases = Corpus.read("updates-corpus.jsonl");
        int splits = 0;
        int chunks = 0;
        int notReproduced = 0;
        List<String> jsonFailures = new ArrayList<>();
        for (JsonNode c : cases) {
            int id = c.get("id").asInt();
            JsonNode roots = c.get("roots");
            int[] maxes = {SMALL[id % SMALL.length], MEDIUM};
            for (int max : maxes) {
                boolean gc = c.get("gc").get(0).asBoolean();
                for (String which : List.of("merge", "mergeSubset")) {
                    byte[] update = b64(which.equals("merge") ? c.get("merge") : c.get("mergeSubset").get("v1"));
                    chunks += SplitAssertions.checkSplit("case " + id + " " + which + " max=" + max, update, max,
                            () -> new YDoc(77, gc), doc -> render(doc, roots)).size();
                    splits++;
                }
                for (JsonNode a : c.get("apply")) {
                    String what = "case " + id + " apply(gc=" + a.get("gc").asBoolean() + ", order=" + a.get("order").size() + ") max=" + max;
                    List<byte[]> parts = SplitAssertions.checkSplit(what, b64(a.get("state")), max,
                            () -> new YDoc(a.get("clientID").asLong(), a.get("gc").asBoolean()), doc -> render(doc, roots));
                    splits++;
                    chunks += parts.size();
                    YDoc doc = new YDoc(a.get("clientID").asLong(), a.get("gc").asBoolean());
                    parts.forEach(doc::applyUpdate);
                    // a state with pending structs can render differently from the document that wrote it (the
                    // pending part integrates differently in a fresh document), so yjs's JSON is the reference only
                    // where the unsplit state reproduces it
                    YDoc whole = new YDoc(a.get("clientID").asLong(), a.get("gc").asBoolean());
                    whole.applyUpdate(b64(a.get("state")));
                    if (jsonDiffs(what, whole, roots, a.get("json")).isEmpty()) {
                        jsonFailures.addAll(jsonDiffs(what, doc, roots, a.get("json")));
                    } else {
                        notReproduced++;
                    }
                }
            }
        }
        System.out.printf("splitUpdate on the yjs corpus: %d cases, %d updates split into %d chunks; %d states whose unsplit JSON "
                + "differs from the writer's (pending structs) compared through SplitAssertions only%n", cases.size(), splits, chunks, notReproduced);
        assertThat(jsonFailures).as("documents from chunks that render differently from yjs").isEmpty();
    }

    /** Text and XML roots as strings (map and array JSON may hold byte arrays, compared through the state bytes). */
    private static List<String> render(YDoc doc, JsonNode roots) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = roots.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getValue().asText()) {
                case "text" -> out.add(doc.getText(e.getKey()).toString());
                case "xmlFragment" -> out.add(doc.getXmlFragment(e.getKey()).toString());
                default -> out.add(e.getValue().asText());
            }
        }
        return out;
    }

    /** Map keys may come in another order: it is the order they were integrated in, which chunks change. */
    private static List<String> jsonDiffs(String what, YDoc doc, JsonNode roots, JsonNode expected) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String d = switch (roots.get(name).asText()) {
                case "text" -> JsonMatch.diff(e.getValue().get("string"), doc.getText(name).toString(), name + ".string");
                case "map" -> JsonMatch.diff(e.getValue(), doc.getMap(name).toJSON(), name, false);
                case "array" -> JsonMatch.diff(e.getValue(), doc.getArray(name).toJSON(), name, false);
                case "xmlFragment" -> JsonMatch.diff(e.getValue(), doc.getXmlFragment(name).toString(), name);
                default -> "unknown root kind of " + name;
            };
            if (d != null) {
                out.add(what + " json: " + d);
            }
        }
        return out;
    }
}
