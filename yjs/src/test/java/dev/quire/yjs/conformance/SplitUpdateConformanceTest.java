package dev.quire.yjs.conformance;

import static dev.quire.yjs.conformance.Corpus.b64;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.SplitAssertions;
import dev.quire.yjs.YjsNode;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code Updates.splitUpdate} on the updates yjs 13.6.33 wrote for the corpus: its merges (with Skips when
 * updates were lost) and the states of its documents (gc on and off, some with pending structs). Each is
 * split with a small and a medium {@code maxBytes} and checked with {@link SplitAssertions}; the documents
 * built from the chunks of a yjs state must also render the JSON yjs rendered for it.
 *
 * <p>A state with pending structs can render differently from the document that wrote it: yjs retries its
 * pending structs only when the client it recorded as missing advances, so structs whose gap another update
 * filled stay pending in the writer, while a fresh document integrates them from the state. For such states
 * the reference is the real yjs applying the state whole to a fresh document (one Node run for all of them):
 * its state bytes, pending flags and rendering.
 */
class SplitUpdateConformanceTest {
    private static final int[] SMALL = {24, 64, 128, 200};
    private static final int MEDIUM = 1024;

    /** A corpus state whose whole application does not render the writer's JSON, and the documents built from it. */
    private record Unreproduced(String what, JsonNode roots, JsonNode apply, YDoc whole, Map<Integer, YDoc> fromChunks) {
    }

    @Test
    void chunksOfCorpusUpdatesGiveTheSameDocuments() throws Exception {
        List<JsonNode> cases = Corpus.read("updates-corpus.jsonl");
        int splits = 0;
        int chunks = 0;
        List<String> jsonFailures = new ArrayList<>();
        List<Unreproduced> unreproduced = new ArrayList<>();
        for (JsonNode c : cases) {
            int id = c.get("id").asInt();
            JsonNode roots = c.get("roots");
            int[] maxes = {SMALL[id % SMALL.length], MEDIUM};
            boolean gc = c.get("gc").get(0).asBoolean();
            for (int max : maxes) {
                for (String which : List.of("merge", "mergeSubset")) {
                    byte[] update = b64(which.equals("merge") ? c.get("merge") : c.get("mergeSubset").get("v1"));
                    chunks += SplitAssertions.checkSplit("case " + id + " " + which + " max=" + max, update, max,
                            () -> new YDoc(77, gc), doc -> render(doc, roots)).size();
                    splits++;
                }
            }
            int index = 0;
            for (JsonNode a : c.get("apply")) {
                String what = "case " + id + " apply[" + index++ + "](gc=" + a.get("gc").asBoolean() + ", order=" + a.get("order").size() + ")";
                YDoc whole = fresh(a);
                whole.applyUpdate(b64(a.get("state")));
                boolean reproduced = jsonDiffs(what, whole, roots, a.get("json")).isEmpty();
                Map<Integer, YDoc> fromChunks = new LinkedHashMap<>();
                for (int max : maxes) {
                    List<byte[]> parts = SplitAssertions.checkSplit(what + " max=" + max, b64(a.get("state")), max,
                            () -> fresh(a), doc -> render(doc, roots));
                    splits++;
                    chunks += parts.size();
                    YDoc doc = fresh(a);
                    parts.forEach(doc::applyUpdate);
                    if (reproduced) {
                        jsonFailures.addAll(jsonDiffs(what + " max=" + max, doc, roots, a.get("json")));
                    } else {
                        fromChunks.put(max, doc);
                    }
                }
                if (!reproduced) {
                    unreproduced.add(new Unreproduced(what, roots, a, whole, fromChunks));
                }
            }
        }
        assertThat(jsonFailures).as("documents from chunks that render differently from yjs").isEmpty();
        assertSameAsFreshYjs(unreproduced);
        System.out.printf("splitUpdate on the yjs corpus: %d cases, %d updates split into %d chunks; %d states whose unsplit "
                + "JSON differs from the writer's (pending structs) compared with a fresh yjs document%n", cases.size(), splits, chunks,
                unreproduced.size());
    }

    /** The real yjs, applying each state whole to a fresh document, ends as our whole and chunked documents. */
    private static void assertSameAsFreshYjs(List<Unreproduced> states) throws Exception {
        if (states.isEmpty()) {
            return;
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < states.size(); i++) {
            Unreproduced u = states.get(i);
            Map<String, String> rendered = new LinkedHashMap<>(); // map/array JSON may hold values yjs's plain JSON cannot
            u.roots().fields().forEachRemaining(e -> {
                if (!renderedAsKind(e.getValue().asText())) {
                    rendered.put(e.getKey(), e.getValue().asText());
                }
            });
            input.append(YjsNode.request(i, u.apply().get("gc").asBoolean(), u.apply().get("clientID").asLong(),
                    List.of(b64(u.apply().get("state"))), rendered));
        }
        List<JsonNode> results = YjsNode.applyUpdates(input.toString());
        assertThat(results).hasSize(states.size());
        for (int i = 0; i < states.size(); i++) {
            Unreproduced u = states.get(i);
            JsonNode r = results.get(i);
            assertThat(r.has("error")).as("yjs rejected %s: %s", u.what(), r.path("error").asText()).isFalse();
            assertThat(u.whole().encodeStateAsUpdate(null)).as("%s: state after applying it whole, vs yjs", u.what())
                    .isEqualTo(Base64.getDecoder().decode(r.get("state").asText()));
            assertThat(u.whole().hasPendingStructs()).as("%s: pending structs, vs yjs", u.what()).isEqualTo(r.get("pendingStructs").asBoolean());
            assertThat(u.whole().hasPendingDeletes()).as("%s: pending deletes, vs yjs", u.what()).isEqualTo(r.get("pendingDs").asBoolean());
            List<String> yjs = new ArrayList<>();
            u.roots().fields().forEachRemaining(e -> yjs.add(renderedAsKind(e.getValue().asText())
                    ? e.getValue().asText() : r.get("json").get(e.getKey()).asText()));
            assertThat(render(u.whole(), u.roots())).as("%s applied whole, vs yjs", u.what()).isEqualTo(yjs);
            u.fromChunks().forEach((max, doc) -> assertThat(render(doc, u.roots())).as("%s max=%d from chunks, vs yjs", u.what(), max)
                    .isEqualTo(yjs));
        }
    }

    private static YDoc fresh(JsonNode apply) {
        return new YDoc(apply.get("clientID").asLong(), apply.get("gc").asBoolean());
    }

    /** Whether {@link #render} stands in the kind's name for a root of that kind. */
    private static boolean renderedAsKind(String kind) {
        return !kind.equals("text") && !kind.equals("xmlFragment");
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
