package dev.quire.yjs.model;

import static dev.quire.yjs.model.DeepNestingTest.CLIENT;
import static dev.quire.yjs.model.DeepNestingTest.nestedMaps;
import static dev.quire.yjs.model.DeepNestingTest.onSmallStack;
import static dev.quire.yjs.model.YDoc.MAX_NESTING_DEPTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link YDoc#MAX_NESTING_DEPTH}: updates that would nest types deeper are refused whole, before the document changes. */
@Timeout(60)
class NestingDepthTest {
    /** What a refused update must leave as it was. */
    private record Snapshot(Map<Long, Long> stateVector, byte[] state, Set<String> roots, boolean pending) {
        static Snapshot of(YDoc doc) {
            return new Snapshot(doc.stateVector(), doc.encodeStateAsUpdate(null), Set.copyOf(doc.rootNames()), doc.hasPendingStructs());
        }

        void assertSameAs(YDoc doc) {
            assertThat(doc.stateVector()).as("state vector").isEqualTo(stateVector);
            assertThat(doc.encodeStateAsUpdate(null)).as("encoded state").isEqualTo(state);
            assertThat(doc.rootNames()).as("root names").containsExactlyInAnyOrderElementsOf(roots);
            assertThat(doc.hasPendingStructs()).as("pending structs").isEqualTo(pending);
        }
    }

    private static YDoc docWithContent() {
        YDoc doc = new YDoc(1, true);
        doc.getText("t").insert(0, "keep");
        doc.getArray("a").push(List.of(1.0));
        return doc;
    }

    /** A map under key "k" of the type held by {@code parentClient:parentClock}, then {@code n - 1} maps each in the one before. */
    private static byte[] mapsUnder(int n, long client, long parentClient, long parentClock) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(1);
        w.writeVarUint(n);
        w.writeVarUint(client);
        w.writeVarUint(0);
        for (int i = 0; i < n; i++) {
            w.writeUint8(0x27);
            w.writeUint8(0);
            w.writeVarUint(i == 0 ? parentClient : client);
            w.writeVarUint(i == 0 ? parentClock : i - 1);
            w.writeVarString("k");
            w.writeUint8(ContentType.Y_MAP);
        }
        w.writeVarUint(0);
        return w.toByteArray();
    }

    /**
     * {@code n} arrays, each in the one before (the first in root array "a"), whose items name no parent: each level is
     * a string item that names its parent, then the array, which names only that item as its left origin (or, with
     * {@code right}, its right origin) and so takes its parent.
     */
    private static byte[] arraysThroughOrigins(int n, long client, boolean right) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(1);
        w.writeVarUint(2L * n);
        w.writeVarUint(client);
        w.writeVarUint(0);
        for (int i = 0; i < n; i++) {
            w.writeUint8(0x08); // ContentAny, parent written
            if (i == 0) {
                w.writeUint8(1);
                w.writeVarString("a");
            } else {
                w.writeUint8(0);
                w.writeVarUint(client);
                w.writeVarUint(2L * i - 1); // the array of the level before
            }
            w.writeVarUint(1);
            w.writeAny("x");
            w.writeUint8(right ? 0x47 : 0x87); // ContentType with only a right (or left) origin
            w.writeVarUint(client);
            w.writeVarUint(2L * i);
            w.writeVarUint(ContentType.Y_ARRAY);
        }
        w.writeVarUint(0);
        return w.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {5_500, 9_500})
    void refusesTheNestedMapsThatWedgedDocumentsAndLeavesTheDocumentAsItWas(int n) {
        YDoc doc = docWithContent();
        Snapshot before = Snapshot.of(doc);

        MalformedUpdateException e = catchThrowableOfType(MalformedUpdateException.class,
                () -> doc.applyUpdate(nestedMaps(n, CLIENT, true)));

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("MAX_NESTING_DEPTH (" + MAX_NESTING_DEPTH + ")")
                .contains("type " + CLIENT + ":" + MAX_NESTING_DEPTH + " ");
        assertThat(e.reason()).isEqualTo(Reason.HOSTILE_SIZE);
        // the first type too deep: right after the MAX_NESTING_DEPTH structs (and the same header) of the update at the limit
        assertThat(e.offset()).isEqualTo(nestedMaps(MAX_NESTING_DEPTH, CLIENT, false).length - 1);
        before.assertSameAs(doc);
        assertThat(doc.rootNames()).as("the root the update names is not created").doesNotContain("m");
        assertThat(doc.getText("t").toString()).isEqualTo("keep");
    }

    @Test
    void refusesOneLevelBeyondTheLimit() {
        YDoc doc = docWithContent();
        Snapshot before = Snapshot.of(doc);

        assertThatThrownBy(() -> doc.applyUpdate(nestedMaps(MAX_NESTING_DEPTH + 1, CLIENT, false)))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessageContaining("at least " + (MAX_NESTING_DEPTH + 1) + " levels deep");
        before.assertSameAs(doc);
    }

    @Test
    void appliesTheNestedMapsAtTheLimitWithTheDeleteOfTheTopOnASmallStack() throws Exception {
        YDoc doc = docWithContent();
        byte[] state = onSmallStack(() -> {
            doc.applyUpdate(nestedMaps(MAX_NESTING_DEPTH, CLIENT, true));
            doc.getMap("m").toJSON();
            return doc.encodeStateAsUpdate(null);
        });

        assertThat(doc.getMap("m").toJSON()).isEqualTo(new JsObject());
        assertThat(doc.stateVector()).containsEntry(CLIENT, (long) MAX_NESTING_DEPTH);
        DecodedUpdate d = Updates.decodeUpdate(state);
        assertThat(d.structs().stream().filter(s -> s.client == CLIENT))
                .as("the top's item, then one GC for everything under it").hasSize(2);
        assertThat(d.deleteSet().clients().get(CLIENT)).hasSize(1);
        assertThat(d.deleteSet().clients().get(CLIENT).get(0).len()).isEqualTo(MAX_NESTING_DEPTH);
        YDoc copy = new YDoc(2, true);
        copy.applyUpdate(state);
        assertThat(copy.encodeStateAsUpdate(null)).isEqualTo(state);
    }

    @Test
    void appliesTheNestedMapsAtTheLimitAndTheirStateRoundTrips() throws Exception {
        YDoc doc = new YDoc(1, true);
        doc.applyUpdate(nestedMaps(MAX_NESTING_DEPTH, CLIENT, false));
        byte[] state = doc.encodeStateAsUpdate(null);

        YDoc copy = new YDoc(2, true);
        copy.applyUpdate(state);
        assertThat(copy.encodeStateAsUpdate(null)).isEqualTo(state);
        AbstractType deepest = copy.getMap("m");
        while (deepest.map.get("k") != null) {
            deepest = deepest.map.get("k").type;
        }
        assertThat(deepest.depth).isEqualTo(MAX_NESTING_DEPTH);
        onSmallStack(() -> {
            copy.applyUpdate(DeepNestingTest.deleteOf(CLIENT, 0));
            return null;
        });
        assertThat(copy.getMap("m").has("k")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void countsLevelsWhoseParentComesFromAnOrigin(boolean rightOrigin) {
        YDoc refused = docWithContent();
        Snapshot before = Snapshot.of(refused);
        assertThatThrownBy(() -> refused.applyUpdate(arraysThroughOrigins(MAX_NESTING_DEPTH + 1, CLIENT, rightOrigin)))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessageContaining("type " + CLIENT + ":" + (2 * MAX_NESTING_DEPTH + 1) + " ");
        before.assertSameAs(refused);

        YDoc doc = new YDoc(1, true);
        doc.applyUpdate(arraysThroughOrigins(MAX_NESTING_DEPTH, CLIENT, rightOrigin));
        assertThat(doc.getArray("a").length()).isEqualTo(2);
    }

    @Test
    void refusesAWaitingChainDeeperThanTheLimitBeforeItsParentArrives() {
        YDoc doc = docWithContent();
        Snapshot before = Snapshot.of(doc);

        // the missing parent is a type held by an item: one level at least, so these are one too many
        assertThatThrownBy(() -> doc.applyUpdate(mapsUnder(MAX_NESTING_DEPTH, CLIENT, 2, 0)))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessageContaining("MAX_NESTING_DEPTH");
        before.assertSameAs(doc);

        doc.applyUpdate(mapsUnder(MAX_NESTING_DEPTH - 1, CLIENT, 2, 0));
        assertThat(doc.hasPendingStructs()).isTrue();
    }

    @Test
    void refusesTheUpdateThatGivesAWaitingChainAParentTooDeep() {
        YDoc doc = docWithContent();
        doc.applyUpdate(mapsUnder(MAX_NESTING_DEPTH - 10, CLIENT, 2, 19));
        assertThat(doc.hasPendingStructs()).isTrue();
        Snapshot before = Snapshot.of(doc);

        // 20 levels from client 2, the last (2:19) being the chain's parent: 20 + MAX - 10 levels in all
        assertThatThrownBy(() -> doc.applyUpdate(nestedMaps(20, 2, false)))
                .isInstanceOf(MalformedUpdateException.class)
                .hasMessageContaining("at least " + (MAX_NESTING_DEPTH + 1) + " levels deep");
        before.assertSameAs(doc);

        // a parent 10 levels deep brings the chain exactly to the limit
        YDoc other = new YDoc(4, true);
        other.applyUpdate(mapsUnder(MAX_NESTING_DEPTH - 10, CLIENT, 3, 9));
        other.applyUpdate(nestedMaps(10, 3, false));
        assertThat(other.hasPendingStructs()).isFalse();
        assertThat(other.stateVector()).containsEntry(CLIENT, (long) MAX_NESTING_DEPTH - 10).containsEntry(3L, 10L);
    }

    @Test
    void localInsertsStopAtTheLimit() {
        YDoc doc = new YDoc(1, true);
        doc.applyUpdate(nestedMaps(MAX_NESTING_DEPTH, CLIENT, false));
        YMap deepest = doc.getMap("m");
        for (int i = 0; i < MAX_NESTING_DEPTH; i++) {
            deepest = (YMap) deepest.get("k");
        }
        YMap last = deepest;
        Snapshot before = Snapshot.of(doc);

        assertThatThrownBy(() -> last.set("k", new YMap()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAX_NESTING_DEPTH (" + MAX_NESTING_DEPTH + ")");
        assertThatThrownBy(() -> last.set("list", new YArray())).isInstanceOf(IllegalArgumentException.class);
        before.assertSameAs(doc);
        last.set("k", 1.5);
        assertThat(last.get("k")).isEqualTo(1.5);
    }
}
