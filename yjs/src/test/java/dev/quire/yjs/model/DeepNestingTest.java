package dev.quire.yjs.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.ContentDeleted;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.DeleteSet.DeleteItem;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Documents whose types nest hundreds of levels deep: deleting, collecting and rendering them must not take a
 * stack frame per level (the recursive walks overflowed a small thread stack at a few hundred levels).
 */
@Timeout(60)
class DeepNestingTest {
    static final long CLIENT = 7;
    private static final int DEPTH = YDoc.MAX_NESTING_DEPTH;

    /**
     * The update that wedged documents: {@code n} Y.Maps, each under key "k" of the one before, the first in root map
     * "m", as one v1 update; with {@code deleteTop} its delete set deletes the first.
     */
    static byte[] nestedMaps(int n, long client, boolean deleteTop) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(1);
        w.writeVarUint(n);
        w.writeVarUint(client);
        w.writeVarUint(0);
        for (int i = 0; i < n; i++) {
            w.writeUint8(0x27); // parentSub, ContentType
            if (i == 0) {
                w.writeUint8(1);
                w.writeVarString("m");
            } else {
                w.writeUint8(0);
                w.writeVarUint(client);
                w.writeVarUint(i - 1);
            }
            w.writeVarString("k");
            w.writeUint8(ContentType.Y_MAP);
        }
        if (deleteTop) {
            w.writeVarUint(1);
            w.writeVarUint(client);
            w.writeVarUint(1);
            w.writeVarUint(0);
            w.writeVarUint(1);
        } else {
            w.writeVarUint(0);
        }
        return w.toByteArray();
    }

    /**
     * {@code n} types, each the only child of the one before (under key "k" when that one is a map), the first in
     * root {@code root}; level {@code i} is of kind {@code kinds[i % kinds.length]}, XML elements are named "p".
     */
    static byte[] nestedTypes(int n, long client, String root, boolean rootIsMap, int... kinds) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(1);
        w.writeVarUint(n);
        w.writeVarUint(client);
        w.writeVarUint(0);
        for (int i = 0; i < n; i++) {
            boolean inMap = i == 0 ? rootIsMap : kinds[(i - 1) % kinds.length] == ContentType.Y_MAP;
            w.writeUint8(inMap ? 0x27 : 0x07);
            if (i == 0) {
                w.writeUint8(1);
                w.writeVarString(root);
            } else {
                w.writeUint8(0);
                w.writeVarUint(client);
                w.writeVarUint(i - 1);
            }
            if (inMap) {
                w.writeVarString("k");
            }
            int kind = kinds[i % kinds.length];
            w.writeVarUint(kind);
            if (ContentType.hasName(kind)) {
                w.writeVarString("p");
            }
        }
        w.writeVarUint(0);
        return w.toByteArray();
    }

    /** An update deleting only {@code client:clock}. */
    static byte[] deleteOf(long client, long clock) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(0);
        w.writeVarUint(1);
        w.writeVarUint(client);
        w.writeVarUint(1);
        w.writeVarUint(clock);
        w.writeVarUint(1);
        return w.toByteArray();
    }

    /**
     * Runs {@code c} on a thread with the smallest stack the JVM gives (it raises 64 KiB to its minimum, about
     * 136 KiB on Linux x64): there the recursive walks did not get through 400 levels, even once compiled. Only the
     * engine runs there: loading AssertJ's classes alone takes more stack than that.
     */
    static <T> T onSmallStack(Callable<T> c) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(c.call());
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "small-stack", 64 * 1024);
        t.setDaemon(true); // a walk that never ends fails the test on its timeout instead of keeping the JVM alive
        t.start();
        t.join();
        if (thrown.get() != null) {
            throw new AssertionError("failed on a small stack: " + thrown.get(), thrown.get());
        }
        return result.get();
    }

    /** Loads the engine's classes on this thread's stack, for the same reason. */
    @BeforeAll
    static void loadClasses() {
        for (boolean gc : new boolean[] {true, false}) {
            YDoc doc = new YDoc(1, gc);
            doc.applyUpdate(nestedMaps(3, CLIENT, false));
            doc.getMap("m").toJSON();
            doc.applyUpdate(deleteOf(CLIENT, 0));
            doc.encodeStateAsUpdate(null);
        }
        YDoc xml = new YDoc(1, true);
        xml.applyUpdate(nestedTypes(4, CLIENT, "x", false, ContentType.Y_XML_ELEMENT, ContentType.Y_XML_TEXT));
        xml.getXmlFragment("x").toString();
        YDoc mixed = new YDoc(1, true);
        mixed.applyUpdate(nestedTypes(4, CLIENT, "m", true, ContentType.Y_MAP, ContentType.Y_ARRAY));
        mixed.getMap("m").toJSON();
    }

    private static long deletedFrom0(DecodedUpdate d, long client) {
        List<DeleteItem> ranges = d.deleteSet().clients().get(client);
        assertThat(ranges).as("delete set of client " + client).hasSize(1);
        assertThat(ranges.get(0).clock()).isZero();
        return ranges.get(0).len();
    }

    @Test
    void deletingADeepTreeCollectsItOnASmallStack() throws Exception {
        YDoc doc = new YDoc(1, true);
        byte[] state = onSmallStack(() -> {
            doc.applyUpdate(nestedMaps(DEPTH, CLIENT, false));
            doc.applyUpdate(deleteOf(CLIENT, 0));
            return doc.encodeStateAsUpdate(null);
        });

        assertThat(doc.getMap("m").has("k")).isFalse();
        DecodedUpdate d = Updates.decodeUpdate(state);
        assertThat(d.structs()).as("the top's item, then one GC for everything under it").hasSize(2);
        assertThat(((dev.quire.yjs.codec.Item) d.structs().get(0)).content).isEqualTo(new ContentDeleted(1));
        assertThat(d.structs().get(1)).isInstanceOf(dev.quire.yjs.codec.GC.class);
        assertThat(d.structs().get(1).length()).isEqualTo(DEPTH - 1);
        assertThat(deletedFrom0(d, CLIENT)).isEqualTo(DEPTH);
        YDoc copy = new YDoc(2, true);
        copy.applyUpdate(state);
        assertThat(copy.encodeStateAsUpdate(null)).isEqualTo(state);
    }

    @Test
    void deletingADeepTreeWithoutGcDeletesEveryLevelOnASmallStack() throws Exception {
        YDoc doc = new YDoc(1, false);
        byte[] state = onSmallStack(() -> {
            doc.applyUpdate(nestedMaps(DEPTH, CLIENT, false));
            doc.applyUpdate(deleteOf(CLIENT, 0));
            return doc.encodeStateAsUpdate(null);
        });

        int levels = 0;
        for (AbstractType t = doc.getMap("m"); t.map.get("k") != null; t = t.map.get("k").type) {
            assertThat(t.map.get("k").deleted()).as("level " + levels).isTrue();
            levels++;
        }
        assertThat(levels).isEqualTo(DEPTH);
        DecodedUpdate d = Updates.decodeUpdate(state);
        assertThat(d.structs()).hasSize(DEPTH);
        assertThat(deletedFrom0(d, CLIENT)).isEqualTo(DEPTH);
        YDoc copy = new YDoc(2, false);
        copy.applyUpdate(state);
        assertThat(copy.encodeStateAsUpdate(null)).isEqualTo(state);
    }

    /**
     * The kinds met walking down a JSON value through key "k" of objects and the only element of arrays, one letter a
     * level ({@code m}: an object with only "k", {@code a}: an array of one, {@code M}/{@code A}: an empty one, {@code ?}:
     * anything else, which ends the walk). AssertJ is not shown such values: it renders them level by level.
     */
    private static String shape(Object json) {
        StringBuilder out = new StringBuilder();
        for (Object o = json; o != null; ) {
            if (o instanceof JsObject m && m.isEmpty()) {
                out.append('M');
                o = null;
            } else if (o instanceof JsObject m && m.keys().equals(List.of("k"))) {
                out.append('m');
                o = m.get("k");
            } else if (o instanceof List<?> l && l.isEmpty()) {
                out.append('A');
                o = null;
            } else if (o instanceof List<?> l && l.size() == 1) {
                out.append('a');
                o = l.get(0);
            } else {
                out.append('?');
                o = null;
            }
        }
        return out.toString();
    }

    @Test
    void rendersDeepMapsAsJsonOnASmallStack() throws Exception {
        YDoc doc = new YDoc(1, true);
        doc.applyUpdate(nestedMaps(DEPTH, CLIENT, false));
        Object json = onSmallStack(() -> doc.getMap("m").toJSON());

        assertThat(shape(json)).isEqualTo("m".repeat(DEPTH) + "M");
    }

    @Test
    void rendersDeepMapsAndArraysAsJsonOnASmallStack() throws Exception {
        YDoc doc = new YDoc(1, true);
        doc.applyUpdate(nestedTypes(DEPTH, CLIENT, "m", true, ContentType.Y_MAP, ContentType.Y_ARRAY));
        Object json = onSmallStack(() -> doc.getMap("m").toJSON());

        // the root map, then DEPTH levels alternating map and array, the deepest an empty array
        assertThat(shape(json)).isEqualTo("m" + "ma".repeat(DEPTH / 2 - 1) + "mA");
    }

    @Test
    void rendersDeepXmlAsAStringOnASmallStack() throws Exception {
        YDoc doc = new YDoc(1, true);
        doc.applyUpdate(nestedTypes(DEPTH, CLIENT, "x", false, ContentType.Y_XML_ELEMENT, ContentType.Y_XML_TEXT));
        String xml = onSmallStack(() -> doc.getXmlFragment("x").toString());
        Object json = onSmallStack(() -> doc.getXmlFragment("x").toJSON());

        // an XML text shows an embedded type as that type's string, and nothing of its own when it has no text
        String expected = "<p>".repeat(DEPTH / 2) + "</p>".repeat(DEPTH / 2);
        assertThat(xml).isEqualTo(expected);
        assertThat(json).isEqualTo(expected);
    }
}
