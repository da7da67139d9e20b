package dev.quire.yjs.conformance;

import static dev.quire.yjs.conformance.Corpus.b64;
import static dev.quire.yjs.conformance.Corpus.b64List;
import static dev.quire.yjs.conformance.Corpus.pick;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte-for-byte equality with yjs 13.6.33 on the generated corpus: merge, state vector from update,
 * diff and v1/v2 conversion, in both formats. Merges whose inputs hold the GC/Item tie that yjs orders by
 * V8's sort are byte-equal as well; they are counted apart.
 */
class UpdateConformanceTest {

    private static final class Tally {
        int compared;
        int tieCases;
        final List<String> failures = new ArrayList<>();

        void check(String what, byte[] expected, Supplier<byte[]> actual) {
            compared++;
            byte[] got;
            try {
                got = actual.get();
            } catch (RuntimeException e) {
                failures.add(what + ": threw " + e);
                return;
            }
            if (!Arrays.equals(expected, got)) {
                failures.add(what + ": expected " + hex(expected) + " but was " + hex(got));
            }
        }

        /** Merges must be byte-equal too; those whose inputs hold a GC/Item tie (ordered by V8's sort) are counted. */
        void checkMerge(String what, List<byte[]> inputs, UpdateFormat format, byte[] expected, Supplier<byte[]> actual) {
            if (MergeTies.hasGcItemTie(inputs, format)) {
                tieCases++;
            }
            check(what, expected, actual);
        }
    }

    static String hex(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 200); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        if (b.length > 200) {
            sb.append("...(").append(b.length).append(" bytes)");
        }
        return sb.toString();
    }

    @Test
    void randomCasesMatchYjsByteForByte() throws Exception {
        List<JsonNode> cases = Corpus.read("updates-corpus.jsonl");
        assertThat(cases).hasSizeGreaterThanOrEqualTo(1000);
        Tally t = new Tally();
        for (JsonNode c : cases) {
            String id = "case " + c.get("id").asInt();
            List<byte[]> v1 = b64List(c.get("updates"));
            List<byte[]> v2 = b64List(c.get("updatesV2"));
            t.checkMerge(id + " merge", v1, UpdateFormat.V1, b64(c.get("merge")), () -> Updates.mergeUpdates(v1));
            t.checkMerge(id + " mergeV2", v2, UpdateFormat.V2, b64(c.get("mergeV2")), () -> Updates.mergeUpdatesV2(v2));
            JsonNode sh = c.get("mergeShuffled");
            List<byte[]> shV1 = pick(v1, sh.get("order"));
            List<byte[]> shV2 = pick(v2, sh.get("order"));
            t.checkMerge(id + " mergeShuffled", shV1, UpdateFormat.V1, b64(sh.get("v1")), () -> Updates.mergeUpdates(shV1));
            t.checkMerge(id + " mergeShuffledV2", shV2, UpdateFormat.V2, b64(sh.get("v2")), () -> Updates.mergeUpdatesV2(shV2));
            JsonNode sub = c.get("mergeSubset");
            List<byte[]> subV1 = pick(v1, sub.get("indices"));
            List<byte[]> subV2 = pick(v2, sub.get("indices"));
            t.checkMerge(id + " mergeSubset", subV1, UpdateFormat.V1, b64(sub.get("v1")), () -> Updates.mergeUpdates(subV1));
            t.checkMerge(id + " mergeSubsetV2", subV2, UpdateFormat.V2, b64(sub.get("v2")), () -> Updates.mergeUpdatesV2(subV2));

            byte[] merge = b64(c.get("merge"));
            byte[] mergeV2 = b64(c.get("mergeV2"));
            byte[] mergeSubset = b64(sub.get("v1"));
            t.check(id + " stateVector", b64(c.get("stateVector")), () -> Updates.encodeStateVectorFromUpdate(merge));
            t.check(id + " stateVectorV2", b64(c.get("stateVectorV2")), () -> Updates.encodeStateVectorFromUpdateV2(mergeV2));
            t.check(id + " stateVectorSubset", b64(c.get("stateVectorSubset")), () -> Updates.encodeStateVectorFromUpdate(mergeSubset));
            t.check(id + " mergeToV2", b64(c.get("mergeToV2")), () -> Updates.convertUpdateFormatV1ToV2(merge));
            t.check(id + " mergeV2ToV1", b64(c.get("mergeV2ToV1")), () -> Updates.convertUpdateFormatV2ToV1(mergeV2));

            JsonNode per = c.get("perUpdate");
            for (int i = 0; i < per.size(); i++) {
                JsonNode p = per.get(i);
                byte[] u1 = v1.get(i);
                byte[] u2 = v2.get(i);
                t.check(id + " update " + i + " sv", b64(p.get("sv")), () -> Updates.encodeStateVectorFromUpdate(u1));
                t.check(id + " update " + i + " toV2", b64(p.get("toV2")), () -> Updates.convertUpdateFormatV1ToV2(u1));
                t.check(id + " update " + i + " toV1", b64(p.get("toV1")), () -> Updates.convertUpdateFormatV2ToV1(u2));
            }
            int d = 0;
            for (JsonNode diff : c.get("diffs")) {
                byte[] sv = b64(diff.get("sv"));
                String dn = id + " diff " + d++;
                t.check(dn + " v1", b64(diff.get("v1")), () -> Updates.diffUpdate(merge, sv));
                t.check(dn + " v2", b64(diff.get("v2")), () -> Updates.diffUpdateV2(mergeV2, sv));
                t.check(dn + " subsetV1", b64(diff.get("subsetV1")), () -> Updates.diffUpdate(mergeSubset, sv));
            }
        }
        System.out.printf("yjs conformance (updates): %d cases, %d byte comparisons (%d merges with a GC/Item tie), %d failures%n",
                cases.size(), t.compared, t.tieCases, t.failures.size());
        assertThat(t.failures).as("comparisons that differ from yjs").isEmpty();
    }

    @Test
    void specialVectorsMatchYjsByteForByte() throws Exception {
        List<JsonNode> vectors = Corpus.read("special-vectors.jsonl");
        Tally t = new Tally();
        int skipped = 0;
        for (JsonNode v : vectors) {
            String name = v.get("name").asText();
            List<byte[]> in = b64List(v.get("inputs"));
            byte[] expected = b64(v.get("expected"));
            byte[] sv = v.has("sv") ? b64(v.get("sv")) : null;
            switch (v.get("op").asText()) {
                case "merge" -> t.checkMerge(name, in, UpdateFormat.V1, expected, () -> Updates.mergeUpdates(in));
                case "mergeV2" -> t.checkMerge(name, in, UpdateFormat.V2, expected, () -> Updates.mergeUpdatesV2(in));
                case "diff" -> t.check(name, expected, () -> Updates.diffUpdate(in.get(0), sv));
                case "diffV2" -> t.check(name, expected, () -> Updates.diffUpdateV2(in.get(0), sv));
                case "sv" -> t.check(name, expected, () -> Updates.encodeStateVectorFromUpdate(in.get(0)));
                case "toV2" -> t.check(name, expected, () -> Updates.convertUpdateFormatV1ToV2(in.get(0)));
                case "toV1" -> t.check(name, expected, () -> Updates.convertUpdateFormatV2ToV1(in.get(0)));
                default -> skipped++; // document-level vectors are checked by the document model's tests
            }
        }
        System.out.printf("yjs conformance (special vectors): %d compared, %d document-level left to the model tests, %d failures%n",
                t.compared, skipped, t.failures.size());
        assertThat(t.compared).isGreaterThan(100);
        assertThat(t.failures).as("vectors that differ from yjs").isEmpty();
    }
}
