package dev.quire.yjs.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.lib0.JsObject;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Local edits give yjs's bytes (vectors from yjs 13.6.33, clientID 1: yjs-format.md section 5). */
class YDocTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void localEditsEmitTheUpdatesYjsEmits() {
        YDoc doc = new YDoc(1, true);
        List<String> updates = new ArrayList<>();
        doc.onUpdate((u, tr) -> updates.add(hex(u)));
        edit(doc);
        assertThat(updates).containsExactly(
                "0101010004010174066162f09f988000",
                "01010104c401000101015800",
                "010101052801016d016b017c3fc0000000",
                "000101010001");
    }

    private static void edit(YDoc doc) {
        doc.getText("t").insert(0, "ab😀");
        doc.getText("t").insert(1, "X");
        doc.getMap("m").set("k", 1.5);
        doc.getText("t").delete(0, 1);
    }

    @Test
    void encodesStateAsYjsDoes() {
        YDoc doc = new YDoc(1, true);
        edit(doc);
        assertThat(hex(doc.encodeStateAsUpdate(null))).isEqualTo("01040100" + "0101017401" + "8401000562f09f9880"
                + "c4010001010158" + "2801016d016b017c3fc00000" + "0101010001");
        assertThat(hex(doc.encodeStateAsUpdateV2(null))).isEqualTo("00" + "00" + "024102" + "020100" + "0102"
                + "0701008400c40028" + "0e097462f09f9880586d6b01034101" + "0101" + "00" + "024100" + "0104007c3fc000000101010000");
        assertThat(hex(doc.encodeStateVector())).isEqualTo("010106");
        assertThat(doc.getText("t").toString()).isEqualTo("Xb😀");
        assertThat(doc.getMap("m").toJSON()).isEqualTo(new JsObject(Map.of("k", 1.5)));
    }

    @Test
    void formattingShowsInDelta() {
        YDoc doc = new YDoc(1, true);
        YText t = doc.getText("t");
        t.insert(0, "hello world");
        t.format(0, 5, Map.of("bold", true));
        List<Map<String, Object>> delta = t.toDelta();
        assertThat(delta).hasSize(2);
        assertThat(delta.get(0)).containsEntry("insert", "hello");
        assertThat(delta.get(0).get("attributes")).isEqualTo(new JsObject(Map.of("bold", true)));
        assertThat(delta.get(1)).containsEntry("insert", " world").doesNotContainKey("attributes");
    }

    @Test
    void malformedUpdateLeavesDocumentUnchanged() {
        YDoc doc = new YDoc(1, true);
        doc.getText("t").insert(0, "keep");
        byte[] before = doc.encodeStateAsUpdate(null);
        assertThatThrownBy(() -> doc.applyUpdate(HexFormat.of().parseHex("0101020004010174066162")))
                .isInstanceOf(MalformedUpdateException.class);
        assertThat(doc.encodeStateAsUpdate(null)).isEqualTo(before);
        assertThat(doc.getText("t").toString()).isEqualTo("keep");
    }

    @Test
    void countsTheUpdatesThatWaitForMissingOnes() {
        YDoc author = new YDoc(1, true);
        List<byte[]> updates = new ArrayList<>();
        author.onUpdate((u, tr) -> updates.add(u));
        author.getText("t").insert(0, "a");
        author.getText("t").insert(1, "b"); // depends on "a"
        author.getText("t").delete(0, 1);   // deletes "a"
        YDoc doc = new YDoc(2, true);
        List<byte[]> emitted = new ArrayList<>();
        doc.onUpdate((u, tr) -> emitted.add(u));

        doc.applyUpdate(updates.get(1));
        assertThat(emitted).as("nothing integrated").isEmpty();
        assertThat(doc.updatesKeptPending()).isEqualTo(1);
        doc.applyUpdate(updates.get(2));
        assertThat(emitted).as("a delete of an unknown struct changes nothing yet").isEmpty();
        assertThat(doc.updatesKeptPending()).isEqualTo(2);
        doc.applyUpdate(updates.get(0));
        assertThat(doc.getText("t").toString()).as("all three integrated").isEqualTo("b");
        assertThat(doc.hasPendingStructs()).isFalse();
        assertThat(doc.hasPendingDeletes()).isFalse();
        assertThat(doc.updatesKeptPending()).as("the update that filled the gap kept nothing waiting").isEqualTo(2);
        doc.applyUpdate(updates.get(1));
        assertThat(doc.updatesKeptPending()).as("known content is not kept").isEqualTo(2);
    }
}
