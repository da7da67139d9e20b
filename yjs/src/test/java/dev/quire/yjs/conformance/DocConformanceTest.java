package dev.quire.yjs.conformance;

import static dev.quire.yjs.conformance.Corpus.b64;
import static dev.quire.yjs.conformance.Corpus.b64List;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The document model against yjs 13.6.33: for every case and every delivery order the generator used,
 * apply the updates to a fresh document (gc on or off) and require byte-equal {@code encodeStateAsUpdate}
 * (v1, v2, and against a state vector), byte-equal state vector, the same pending flags, and the same
 * JSON of every root type.
 */
class DocConformanceTest {

    @Test
    void documentsMatchYjsInEveryDeliveryOrder() throws Exception {
        List<JsonNode> cases = Corpus.read("updates-corpus.jsonl");
        List<String> failures = new ArrayList<>();
        int docs = 0;
        int comparisons = 0;
        for (JsonNode c : cases) {
            List<byte[]> updates = b64List(c.get("updates"));
            JsonNode roots = c.get("roots");
            for (JsonNode a : c.get("apply")) {
                docs++;
                String id = "case " + c.get("id").asInt() + " apply(gc=" + a.get("gc").asBoolean() + ", order=" + a.get("order").size() + ")";
                YDoc doc = new YDoc(a.get("clientID").asLong(), a.get("gc").asBoolean());
                try {
                    for (JsonNode i : a.get("order")) {
                        doc.applyUpdate(updates.get(i.asInt()));
                    }
                } catch (RuntimeException e) {
                    failures.add(id + ": apply threw " + e);
                    continue;
                }
                comparisons += 6;
                compare(failures, id + " state", b64(a.get("state")), doc.encodeStateAsUpdate(null));
                compare(failures, id + " stateV2", b64(a.get("stateV2")), doc.encodeStateAsUpdateV2(null));
                compare(failures, id + " stateVector", b64(a.get("stateVector")), doc.encodeStateVector());
                JsonNode ds = a.get("diffState");
                compare(failures, id + " diffState", b64(ds.get("v1")), doc.encodeStateAsUpdate(b64(ds.get("sv"))));
                if (doc.hasPendingStructs() != a.get("pendingStructs").asBoolean()
                        || doc.hasPendingDeletes() != a.get("pendingDs").asBoolean()) {
                    failures.add(id + ": pending flags " + doc.hasPendingStructs() + "/" + doc.hasPendingDeletes());
                }
                // roots are fetched after all updates, as the generator does
                for (Iterator<Map.Entry<String, JsonNode>> it = a.get("json").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String name = e.getKey();
                    String kind = roots.get(name).asText();
                    String d = switch (kind) {
                        case "text" -> {
                            YText t = doc.getText(name);
                            String s = JsonMatch.diff(e.getValue().get("string"), t.toString(), name + ".string");
                            yield s != null ? s : JsonMatch.diff(e.getValue().get("delta"), new ArrayList<>(t.toDelta()), name + ".delta");
                        }
                        case "map" -> JsonMatch.diff(e.getValue(), doc.getMap(name).toJSON(), name);
                        case "array" -> JsonMatch.diff(e.getValue(), doc.getArray(name).toJSON(), name);
                        case "xmlFragment" -> JsonMatch.diff(e.getValue(), doc.getXmlFragment(name).toString(), name);
                        default -> "unknown root kind " + kind;
                    };
                    if (d != null) {
                        failures.add(id + " json: " + d);
                    }
                }
            }
        }
        System.out.printf("yjs conformance (documents): %d cases, %d documents, %d byte comparisons, %d failures%n",
                cases.size(), docs, comparisons, failures.size());
        assertThat(failures).as("documents that differ from yjs").isEmpty();
    }

    @Test
    void specialStateVectorsMatchYjs() throws Exception {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode v : Corpus.read("special-vectors.jsonl")) {
            String op = v.get("op").asText();
            if (!op.equals("state") && !op.equals("stateV2")) {
                continue;
            }
            n++;
            YDoc doc = new YDoc(v.get("clientID").asLong(), v.get("gc").asBoolean());
            for (byte[] u : b64List(v.get("inputs"))) {
                doc.applyUpdate(u);
            }
            byte[] actual = op.equals("state") ? doc.encodeStateAsUpdate(null) : doc.encodeStateAsUpdateV2(null);
            compare(failures, v.get("name").asText(), b64(v.get("expected")), actual);
        }
        System.out.printf("yjs conformance (document vectors): %d compared, %d failures%n", n, failures.size());
        assertThat(n).isPositive();
        assertThat(failures).isEmpty();
    }

    /**
     * Types nested as deep as {@link YDoc#MAX_NESTING_DEPTH} (maps, arrays, XML elements and texts), built, partly and
     * wholly deleted by yjs: the same state and the same JSON, with gc on and off.
     */
    @Test
    void deeplyNestedDocumentsMatchYjs() throws Exception {
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode v : Corpus.read("special-vectors.jsonl")) {
            String name = v.get("name").asText();
            if (!name.startsWith("deep/")) {
                continue;
            }
            n++;
            YDoc doc = new YDoc(v.get("clientID").asLong(), v.get("gc").asBoolean());
            for (byte[] u : b64List(v.get("inputs"))) {
                doc.applyUpdate(u);
            }
            compare(failures, name, b64(v.get("expected")), doc.encodeStateAsUpdate(null));
            String d = JsonMatch.diff(v.get("json").get("map"), doc.getMap("map").toJSON(), name + " map");
            if (d != null) {
                failures.add(d);
            }
        }
        assertThat(n).as("deep/ vectors in the corpus").isEqualTo(6);
        assertThat(failures).isEmpty();
    }

    private static void compare(List<String> failures, String what, byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            failures.add(what + ": expected " + UpdateConformanceTest.hex(expected) + " but was " + UpdateConformanceTest.hex(actual));
        }
    }
}
