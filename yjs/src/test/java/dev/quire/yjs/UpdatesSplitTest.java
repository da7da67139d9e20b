package dev.quire.yjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.Skip;
import dev.quire.yjs.internal.UpdateSplitter;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.model.YArray;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YMap;
import dev.quire.yjs.model.YText;
import dev.quire.yjs.model.YXmlElement;
import dev.quire.yjs.model.YXmlFragment;
import dev.quire.yjs.model.YXmlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Updates#splitUpdate}: on documents edited with the Java model, every chunk is a valid update of
 * bounded size, and the chunks applied in order (or merged) give the same document as the original.
 */
@Timeout(120)
class UpdatesSplitTest {
    private static final int[] MAX_BYTES = {1, 16, 64, 200, 1024, 4096, 64 * 1024};
    private static final long[] CLIENTS = {11, 222_222, 9_007_199_254_740_991L};

    @Test
    void chunksOfEditedDocumentsGiveTheSameDocument() {
        int checked = 0;
        for (int seed = 0; seed < 16; seed++) {
            boolean gc = seed % 2 == 0;
            YDoc doc = editedDocument(seed, gc, 40 + seed * 12);
            byte[] state = doc.encodeStateAsUpdate(null);
            for (int max : MAX_BYTES) {
                checkSplit("seed " + seed + " gc=" + gc + " max=" + max, state, max, gc);
                checked++;
            }
        }
        System.out.printf("splitUpdate: %d splits of edited documents checked%n", checked);
    }

    @Test
    void largeDocumentIsSplitIntoManyChunks() {
        YDoc doc = editedDocument(99, true, 3000, false);
        byte[] state = doc.encodeStateAsUpdate(null);
        assertThat(state.length).isGreaterThan(8 * 1024);
        List<byte[]> chunks = checkSplit("large", state, 1024, true);
        assertThat(chunks.size()).isGreaterThanOrEqualTo(state.length / 1024);
        checkSplit("large 64 KiB", state, 64 * 1024, true);
    }

    @Test
    void splitOfUpdateWithSkipsAndPendingStructs() {
        YDoc a = new YDoc(5, true);
        List<byte[]> updates = new ArrayList<>();
        a.onUpdate((u, tr) -> updates.add(u));
        YText t = a.getText("text");
        for (int i = 0; i < 30; i++) {
            t.insert(i % 3 == 0 ? 0 : t.length(), "piece " + i + " ");
            if (i % 7 == 6) {
                t.delete(2, 4);
            }
        }
        // every other transaction: the merge has a Skip for each gap, and the gaps leave structs pending
        List<byte[]> odd = new ArrayList<>();
        for (int i = 1; i < updates.size(); i += 2) {
            odd.add(updates.get(i));
        }
        byte[] withSkips = Updates.mergeUpdates(odd);
        assertThat(Updates.decodeUpdate(withSkips).structs()).anyMatch(s -> s instanceof Skip);
        for (int max : MAX_BYTES) {
            List<byte[]> chunks = checkSplit("skips max=" + max, withSkips, max, true);
            // the missing transactions complete both documents alike
            YDoc fromOriginal = applied(List.of(withSkips), true);
            YDoc fromChunks = applied(chunks, true);
            for (int i = 0; i < updates.size(); i += 2) {
                fromOriginal.applyUpdate(updates.get(i));
                fromChunks.applyUpdate(updates.get(i));
            }
            assertThat(fromChunks.hasPendingStructs()).isFalse();
            assertThat(fromChunks.encodeStateAsUpdate(null)).isEqualTo(fromOriginal.encodeStateAsUpdate(null));
            assertThat(fromChunks.getText("text").toString()).isEqualTo(a.getText("text").toString());
        }
    }

    /**
     * {@link Updates#splitState} cuts formatted documents where the chunks rebuild the document (same state bytes and
     * content) and keeps them whole where the same cut, applied, gives another document (format marks deleted by
     * the cleanup after a partial transaction). Real yjs's verdict is checked case by case in SplitUpdateInYjsTest.
     */
    @Test
    void splitStateCutsFormattedDocumentsOnlyWhereTheChunksRebuildThem() {
        int cut = 0;
        int keptWhole = 0;
        for (int seed = 0; seed < 24; seed++) {
            byte[] state = editedDocument(seed, true, 80 + seed * 10).encodeStateAsUpdate(null);
            YDoc expected = typedApplied(List.of(state), true);
            for (int max : new int[] {64, 200, 1024}) {
                String what = "seed " + seed + " max=" + max;
                List<byte[]> chunks = Updates.splitState(state, max);
                List<byte[]> unchecked = UpdateSplitter.split(Updates.decodeUpdate(state), max);
                if (chunks.size() > 1) {
                    cut++;
                    assertThat(chunks).as(what).usingElementComparator(java.util.Arrays::compare).isEqualTo(unchecked);
                    YDoc actual = typedApplied(chunks, true);
                    assertThat(actual.encodeStateAsUpdate(null)).as(what).isEqualTo(expected.encodeStateAsUpdate(null));
                    assertThat(render(actual)).as(what).isEqualTo(render(expected));
                } else if (unchecked.size() > 1) {
                    keptWhole++;
                    assertThat(chunks).as(what).singleElement().isSameAs(state);
                    assertThat(typedApplied(unchecked, true).encodeStateAsUpdate(null)).as(what + ": the cut it refused")
                            .isNotEqualTo(expected.encodeStateAsUpdate(null));
                }
            }
        }
        System.out.printf("splitState: %d formatted states cut, %d kept whole%n", cut, keptWhole);
        assertThat(cut).isPositive();
    }

    @Test
    void splitStateDoesNotMakeACutThatLosesFormatting() {
        byte[] state = SplitAssertions.stateWhoseCutLosesBold();
        YDoc whole = typedApplied(List.of(state), true);
        assertThat(whole.getText("text").toDelta()).isEqualTo(List.of(Map.of("insert", "a"),
                Map.of("insert", "C", "attributes", Map.of("bold", true)), Map.of("insert", "b")));
        int refused = 0;
        for (int max = 1; max < state.length; max++) {
            List<byte[]> cut = UpdateSplitter.split(Updates.decodeUpdate(state), max);
            YDoc fromCut = typedApplied(cut, true);
            if (!fromCut.getText("text").toDelta().equals(whole.getText("text").toDelta())) {
                refused++;
                assertThat(Updates.splitState(state, max)).as("max=" + max).singleElement().isSameAs(state);
            } else if (cut.size() > 1) {
                assertThat(Updates.splitState(state, max)).as("max=" + max).hasSize(cut.size());
            }
        }
        assertThat(refused).as("maxBytes whose cut loses the bold").isPositive();
    }

    @Test
    void smallUpdateIsReturnedAsIs() {
        YDoc doc = editedDocument(3, true, 20);
        byte[] state = doc.encodeStateAsUpdate(null);
        assertThat(Updates.splitUpdate(state, state.length)).singleElement().isSameAs(state);
        assertThat(Updates.splitUpdate(state, Integer.MAX_VALUE)).singleElement().isSameAs(state);
    }

    @Test
    void singleStructLargerThanMaxIsOneChunk() {
        YDoc doc = new YDoc(1, true);
        doc.getText("text").insert(0, "x".repeat(5000));
        byte[] state = doc.encodeStateAsUpdate(null);
        assertThat(Updates.decodeUpdate(state).structs()).hasSize(1);
        assertThat(Updates.splitUpdate(state, 100)).singleElement().isSameAs(state);
        doc.getText("text").insert(5000, "y");
        doc.getText("text").insert(0, "z");
        byte[] three = doc.encodeStateAsUpdate(null);
        List<byte[]> chunks = checkSplit("big struct", three, 100, true);
        assertThat(chunks).hasSize(2); // the two small items stay together, the big one is alone
    }

    @Test
    void deleteSetLargerThanMaxGetsItsOwnLastChunk() {
        YDoc doc = new YDoc(1, false);
        YText t = doc.getText("text");
        t.insert(0, "abcdefghij".repeat(40));
        for (int i = 380; i >= 0; i -= 20) {
            t.delete(i, 3); // many separate ranges
        }
        byte[] state = doc.encodeStateAsUpdate(null);
        List<byte[]> chunks = checkSplit("ds", state, 40, false);
        DecodedUpdate last = Updates.decodeUpdate(chunks.get(chunks.size() - 1));
        assertThat(last.structs()).isEmpty();
        assertThat(last.deleteSet().isEmpty()).isFalse();
        assertThat(chunks.get(chunks.size() - 1).length).isGreaterThan(40);
    }

    @Test
    void rejectsNonPositiveMaxAndMalformedInput() {
        assertThatThrownBy(() -> Updates.splitUpdate(new byte[] {0, 0}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Updates.splitState(new byte[] {0, 0}, 0)).isInstanceOf(IllegalArgumentException.class);
        byte[] truncated = {1, 1, 1, 0, 4, 1, 1, 116, 6, 97, 98};
        assertThatThrownBy(() -> Updates.splitUpdate(truncated, 4)).isInstanceOf(MalformedUpdateException.class);
        assertThatThrownBy(() -> Updates.splitState(truncated, 4)).isInstanceOf(MalformedUpdateException.class);
    }

    static List<byte[]> checkSplit(String what, byte[] update, int max, boolean gc) {
        return SplitAssertions.checkSplit(what, update, max, () -> new YDoc(424242, gc), UpdatesSplitTest::render);
    }

    /** As a client whose editor typed the root text before syncing (yjs cleans up formatting only then). */
    private static YDoc typedApplied(List<byte[]> updates, boolean gc) {
        YDoc doc = new YDoc(424242, gc);
        doc.getText("text");
        updates.forEach(doc::applyUpdate);
        return doc;
    }

    private static YDoc applied(List<byte[]> updates, boolean gc) {
        YDoc doc = new YDoc(424242, gc);
        updates.forEach(doc::applyUpdate);
        return doc;
    }

    private static List<Object> render(YDoc doc) {
        return List.of(doc.getText("text").toDelta(), doc.getMap("map").toJSON(), doc.getArray("array").toJSON(),
                doc.getXmlFragment("xml").toString());
    }

    /** Three peers (small to 2^53-1 client ids) edit text, map, array and XML, syncing now and then; returns one of them. */
    static YDoc editedDocument(long seed, boolean gc, int steps) {
        return editedDocument(seed, gc, steps, true);
    }

    /** As above; without {@code formatted}, no text formatting (so only size bounds the chunks). */
    static YDoc editedDocument(long seed, boolean gc, int steps, boolean formatted) {
        Random rnd = new Random(seed);
        List<YDoc> peers = new ArrayList<>();
        for (long client : CLIENTS) {
            peers.add(new YDoc(client, gc));
        }
        for (int step = 0; step < steps; step++) {
            edit(peers.get(rnd.nextInt(peers.size())), rnd, formatted);
            if (rnd.nextInt(6) == 0) {
                YDoc from = peers.get(rnd.nextInt(peers.size()));
                YDoc to = peers.get(rnd.nextInt(peers.size()));
                to.applyUpdate(from.encodeStateAsUpdate(to.encodeStateVector()));
            }
        }
        YDoc all = peers.get(0);
        for (YDoc p : peers) {
            all.applyUpdate(p.encodeStateAsUpdate(all.encodeStateVector()));
        }
        return all;
    }

    private static void edit(YDoc doc, Random rnd, boolean formatted) {
        YText text = doc.getText("text");
        int len = (int) text.length();
        switch (rnd.nextInt(12)) {
            case 0, 1, 2 -> text.insert(rnd.nextInt(len + 1), "w" + rnd.nextInt(1000) + (rnd.nextBoolean() ? " é日" : " "));
            case 3 -> text.insert(rnd.nextInt(len + 1), "fmt", formatted ? new JsObject(Map.of("bold", true)) : new JsObject());
            case 4 -> {
                if (len > 0) {
                    int at = rnd.nextInt(len);
                    text.delete(at, Math.min(len - at, 1 + rnd.nextInt(8)));
                }
            }
            case 5 -> {
                YMap map = doc.getMap("map");
                String key = "k" + rnd.nextInt(6);
                if (rnd.nextInt(4) == 0) {
                    map.delete(key);
                } else {
                    map.set(key, rnd.nextBoolean() ? (Object) (double) rnd.nextInt(100) : "v".repeat(1 + rnd.nextInt(40)));
                }
            }
            case 6 -> {
                YMap map = doc.getMap("map");
                map.set("nested", new YMap());
                ((YMap) map.get("nested")).set("n", (double) rnd.nextInt(10));
            }
            case 7 -> {
                YArray array = doc.getArray("array");
                array.insert(rnd.nextInt((int) array.length() + 1), List.of("a" + rnd.nextInt(50), (double) rnd.nextInt(9)));
            }
            case 8 -> {
                YArray array = doc.getArray("array");
                if (array.length() > 0) {
                    array.delete(rnd.nextInt((int) array.length()), 1);
                }
            }
            default -> editXml(doc.getXmlFragment("xml"), rnd);
        }
    }

    private static void editXml(YXmlFragment xml, Random rnd) {
        int n = (int) xml.length();
        int op = rnd.nextInt(5);
        if (n == 0 || op == 0) {
            xml.insert(rnd.nextInt(n + 1), List.of(rnd.nextBoolean() ? new YXmlElement("p") : new YXmlText()));
        } else if (op == 1) {
            xml.delete(rnd.nextInt(n), 1);
        } else {
            Object child = xml.toArray().get(rnd.nextInt(n));
            if (child instanceof YXmlElement e) {
                if (rnd.nextBoolean()) {
                    e.setAttribute("class", "c" + rnd.nextInt(5));
                } else {
                    e.insert((int) e.length(), List.of(new YXmlText()));
                }
            } else if (child instanceof YXmlText t) {
                t.insert(rnd.nextInt((int) t.length() + 1), "x" + rnd.nextInt(10));
            }
        }
    }
}
