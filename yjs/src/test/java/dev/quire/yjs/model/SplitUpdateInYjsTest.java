package dev.quire.yjs.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.Updates;
import dev.quire.yjs.YjsNode;
import dev.quire.yjs.internal.UpdateSplitter;
import java.util.ArrayList;
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
    private static final int[] MAX_BYTES = {32, 100, 400, 2048};

    @Test
    void yjsAppliesChunksToTheSameStateAsTheOriginal() throws Exception {
        Random rnd = new Random(20260514);
        StringBuilder input = new StringBuilder();
        List<String> labels = new ArrayList<>();
        int id = 0;
        for (int doc = 0; doc < 30; doc++) {
            boolean gc = doc % 3 != 0;
            byte[] state = editedState(rnd, 1000, 77, gc, 30, 120, 8);
            input.append(YjsNode.request(id++, gc, 4242, List.of(state), RandomEditor.ROOTS));
            labels.add("doc " + doc + " original");
            for (int max : MAX_BYTES) {
                input.append(YjsNode.request(id++, gc, 4242, Updates.splitUpdate(state, max), RandomEditor.ROOTS));
                labels.add("doc " + doc + " max=" + max);
            }
        }
        List<JsonNode> results = YjsNode.applyUpdates(input.toString());
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

    /**
     * {@link Updates#splitState} on documents with text formatting, written by up to three peers: where it cuts, real
     * yjs builds the original's state from the chunks; where it keeps the update whole, the unchecked cut
     * ({@link UpdateSplitter}) really does give yjs another document. So our engine's verdict is yjs's, case by case.
     */
    @Test
    void splitStateCutsFormattedDocumentsExactlyWhereYjsRebuildsThem() throws Exception {
        Random rnd = new Random(20261126);
        StringBuilder input = new StringBuilder();
        List<Boolean> verdicts = new ArrayList<>(); // per case: did splitState cut?
        int id = 0;
        byte[] fixture = dev.quire.yjs.SplitAssertions.stateWhoseCutLosesBold();
        for (int max = 8; max < fixture.length; max += 4) {
            List<byte[]> cut = UpdateSplitter.split(Updates.decodeUpdate(fixture), max);
            if (cut.size() > 1) {
                verdicts.add(Updates.splitState(fixture, max).size() > 1);
                input.append(YjsNode.request(id++, true, 4242, List.of(fixture), RandomEditor.ROOTS, true));
                input.append(YjsNode.request(id++, true, 4242, cut, RandomEditor.ROOTS, true));
            }
        }
        while (verdicts.size() < 240) {
            byte[] state = editedState(rnd, 500, 31, true, 40, 160, 6);
            boolean formatted = dev.quire.yjs.SplitAssertions.holdsFormatting(state);
            int max = 64 + rnd.nextInt(400);
            List<byte[]> cut = UpdateSplitter.split(Updates.decodeUpdate(state), max);
            if (!formatted || cut.size() < 2) {
                continue;
            }
            List<byte[]> chunks = Updates.splitState(state, max);
            verdicts.add(chunks.size() > 1);
            if (chunks.size() > 1) {
                assertThat(chunks).as("splitState's cut is the splitter's").usingElementComparator(java.util.Arrays::compare).isEqualTo(cut);
            }
            input.append(YjsNode.request(id++, true, 4242, List.of(state), RandomEditor.ROOTS, true));
            input.append(YjsNode.request(id++, true, 4242, cut, RandomEditor.ROOTS, true));
        }
        List<JsonNode> results = YjsNode.applyUpdates(input.toString());
        assertThat(results).hasSize(2 * verdicts.size());
        int cutSafely = 0;
        for (int i = 0; i < verdicts.size(); i++) {
            JsonNode whole = results.get(2 * i);
            JsonNode chunked = results.get(2 * i + 1);
            assertThat(whole.has("error") || chunked.has("error")).as("yjs rejected case %d", i).isFalse();
            boolean same = whole.get("state").asText().equals(chunked.get("state").asText())
                    && whole.get("json").equals(chunked.get("json"));
            assertThat(verdicts.get(i)).as("case %d: splitState cut it, yjs rebuilt the same document from the cut", i).isEqualTo(same);
            cutSafely += same ? 1 : 0;
        }
        System.out.printf("splitState in yjs: %d formatted documents, %d cut (yjs rebuilds them), %d kept whole (yjs would not)%n",
                verdicts.size(), cutSafely, verdicts.size() - cutSafely);
        assertThat(cutSafely).as("formatted documents cut").isGreaterThan(0);
        assertThat(verdicts.size() - cutSafely).as("formatted documents a cut would change").isGreaterThan(0);
    }

    /**
     * The state of a document edited by 1-3 peers ({@code firstClient}, then every {@code clientStep}), who sync one
     * step in {@code syncOneIn} (the step bound is drawn anew each step, as the first test always did).
     */
    private static byte[] editedState(Random rnd, long firstClient, long clientStep, boolean gc, int minSteps, int extraSteps,
                                      int syncOneIn) {
        List<YDoc> peers = new ArrayList<>();
        for (int p = 0; p < 1 + rnd.nextInt(3); p++) {
            peers.add(new YDoc(firstClient + clientStep * p, gc));
        }
        for (int step = 0; step < minSteps + rnd.nextInt(extraSteps); step++) {
            RandomEditor.edit(peers.get(rnd.nextInt(peers.size())), rnd);
            if (rnd.nextInt(syncOneIn) == 0) {
                YDoc from = peers.get(rnd.nextInt(peers.size()));
                YDoc to = peers.get(rnd.nextInt(peers.size()));
                to.applyUpdate(from.encodeStateAsUpdate(to.encodeStateVector()));
            }
        }
        YDoc all = peers.get(0);
        peers.forEach(p -> all.applyUpdate(p.encodeStateAsUpdate(all.encodeStateVector())));
        return all.encodeStateAsUpdate(null);
    }
}
