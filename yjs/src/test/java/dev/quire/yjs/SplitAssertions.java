package dev.quire.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.Skip;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** The properties every result of {@link Updates#splitUpdate} must have; shared by the unit and corpus tests. */
public final class SplitAssertions {
    private SplitAssertions() {
    }

    /**
     * A state that some cuts break. Client 3 writes "a" + bold "X" + "b" (format items f1 bold=true before X, f2
     * bold=null after it); client 1 inserts "C" after X (so C is bold) and deletes X; client 2 inserts "Y" before f1
     * and deletes it. Collected, X and Y go out as deleted content. Clients go out in descending order, so a cut
     * between them delivers client 2's deleted Y while C is still missing: yjs's cleanup of the gap around a deleted
     * item (it runs for a text whose format items came in an earlier transaction) then finds f1 and f2 in one gap
     * and deletes f1, so C arrives unformatted. Applied whole, the text is "a" + bold "C" + "b".
     */
    public static byte[] stateWhoseCutLosesBold() {
        YDoc a = new YDoc(3, true);
        a.getText("text").insert(0, "ab");
        a.getText("text").insert(1, "X", new dev.quire.yjs.lib0.JsObject(Map.of("bold", true)));
        YDoc c = new YDoc(1, true);
        c.applyUpdate(a.encodeStateAsUpdate(null));
        c.getText("text").insert(2, "C");
        c.getText("text").delete(1, 1);
        YDoc b = new YDoc(2, true);
        b.applyUpdate(a.encodeStateAsUpdate(null));
        b.applyUpdate(c.encodeStateAsUpdate(null));
        b.getText("text").insert(1, "Y");
        b.getText("text").delete(1, 1);
        return b.encodeStateAsUpdate(null);
    }

    /** Whether the v1 update holds text formatting (ContentFormat items), which splitUpdate leaves whole. */
    public static boolean holdsFormatting(byte[] update) {
        return Updates.decodeUpdate(update).structs().stream()
                .anyMatch(s -> s instanceof Item item && item.content instanceof ContentFormat);
    }

    /**
     * Splits {@code update} and checks: every chunk is a valid v1 update, at most {@code max} bytes unless it
     * holds a single struct (or, last, only the delete set); an update with text formatting is not split; only
     * the last chunk has deletes; no run starts or ends with a Skip and no client has two runs in a chunk; the chunks hold the original's structs, each client's in order;
     * applied in order to {@code freshDoc}, and merged, they give the same state, pending flags and
     * {@code render}ing as the original.
     *
     * @return the chunks
     */
    public static List<byte[]> checkSplit(String what, byte[] update, int max, Supplier<YDoc> freshDoc, Function<YDoc, Object> render) {
        List<byte[]> chunks = Updates.splitUpdate(update, max);
        assertThat(chunks).as(what).isNotEmpty();
        boolean formatted = holdsFormatting(update);
        if (update.length <= max || formatted) {
            assertThat(chunks).as(what).singleElement().isSameAs(update);
        }
        Map<Long, List<String>> structsInChunks = new HashMap<>();
        for (int i = 0; i < chunks.size(); i++) {
            byte[] chunk = chunks.get(i);
            String at = what + " chunk " + i + "/" + chunks.size();
            Updates.validate(chunk, UpdateFormat.V1);
            DecodedUpdate d = Updates.decodeUpdate(chunk);
            boolean last = i == chunks.size() - 1;
            if (chunk.length > max) {
                boolean oneStruct = d.structs().size() == 1 && d.deleteSet().isEmpty();
                boolean onlyDeletes = last && d.structs().isEmpty();
                assertThat(oneStruct || onlyDeletes || chunks.size() == 1).as(at + " of " + chunk.length + " bytes").isTrue();
            }
            if (!last) {
                assertThat(d.deleteSet().isEmpty()).as(at + " delete set").isTrue();
                assertThat(d.structs()).as(at + " structs").isNotEmpty();
            }
            if (chunks.size() > 1) {
                assertRunsStartAndEndWithContent(at, d.structs());
            }
            byClient(d.structs(), structsInChunks);
        }
        // cut only between structs, each client's in the original order: nothing lost, repeated or sliced
        assertThat(structsInChunks).as(what + " structs").isEqualTo(byClient(Updates.decodeUpdate(update).structs(), new HashMap<>()));

        YDoc reference = applied(freshDoc, List.of(update));
        assertSameDocument(what + " applied in order", reference, applied(freshDoc, chunks), render);
        assertSameDocument(what + " merged", reference, applied(freshDoc, List.of(Updates.mergeUpdates(chunks))), render);
        return chunks;
    }

    /** A client has one run per chunk, and runs (so the chunk too) neither start nor end with a Skip. */
    private static void assertRunsStartAndEndWithContent(String at, List<Struct> structs) {
        Set<Long> clients = new HashSet<>();
        for (int i = 0; i < structs.size(); i++) {
            Struct s = structs.get(i);
            boolean runStart = i == 0 || structs.get(i - 1).client != s.client;
            boolean runEnd = i == structs.size() - 1 || structs.get(i + 1).client != s.client;
            if (runStart) {
                assertThat(clients.add(s.client)).as(at + ": second run of client " + s.client).isTrue();
            }
            if (runStart || runEnd) {
                assertThat(s).as(at + ": run edge").isNotInstanceOf(Skip.class);
            }
        }
    }

    /** Adds each struct but Skips, described, to its client's list. */
    private static Map<Long, List<String>> byClient(List<Struct> structs, Map<Long, List<String>> into) {
        for (Struct s : structs) {
            if (!(s instanceof Skip)) {
                into.computeIfAbsent(s.client, c -> new ArrayList<>()).add(s.getClass().getSimpleName() + " " + s.clock + "+" + s.length());
            }
        }
        return into;
    }

    private static YDoc applied(Supplier<YDoc> freshDoc, List<byte[]> updates) {
        YDoc doc = freshDoc.get();
        updates.forEach(doc::applyUpdate);
        return doc;
    }

    private static void assertSameDocument(String what, YDoc expected, YDoc actual, Function<YDoc, Object> render) {
        assertThat(actual.encodeStateVector()).as(what + " state vector").isEqualTo(expected.encodeStateVector());
        assertThat(actual.encodeStateAsUpdate(null)).as(what + " state").isEqualTo(expected.encodeStateAsUpdate(null));
        assertThat(actual.hasPendingStructs()).as(what + " pending structs").isEqualTo(expected.hasPendingStructs());
        assertThat(actual.hasPendingDeletes()).as(what + " pending deletes").isEqualTo(expected.hasPendingDeletes());
        assertThat(render.apply(actual)).as(what + " content").isEqualTo(render.apply(expected));
    }
}
