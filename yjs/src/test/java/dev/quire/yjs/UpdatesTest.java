package dev.quire.yjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UpdatesTest {
    /** clientID 1 inserts "ab😀" into root text "t" (yjs-format.md section 5). */
    private static final byte[] AB_EMOJI = HexFormat.of().parseHex("0101010004010174066162f09f988000");

    @Test
    void decodesWorkedExample() {
        var d = Updates.decodeUpdate(AB_EMOJI);
        assertThat(d.structs()).hasSize(1);
        Item item = (Item) d.structs().get(0);
        assertThat(item.id().toString()).isEqualTo("1:0");
        assertThat(item.parent).isEqualTo("t");
        assertThat(item.content).isEqualTo(new ContentString("ab😀"));
        assertThat(item.length()).isEqualTo(4); // UTF-16 units
        assertThat(d.deleteSet().isEmpty()).isTrue();
    }

    @Test
    void mergeOfNothingAndOfOneUpdateAreAsInYjs() {
        assertThat(Updates.mergeUpdates(List.of())).containsExactly(0, 0);
        assertThat(Updates.mergeUpdates(List.of(AB_EMOJI))).isSameAs(AB_EMOJI);
    }

    @Test
    void diffInsideSurrogatePairWritesReplacementCharacter() {
        byte[] sv = Updates.encodeStateVector(Map.of(1L, 3L));
        assertThat(HexFormat.of().formatHex(Updates.diffUpdate(AB_EMOJI, sv))).isEqualTo("0101010384010203efbfbd00");
    }

    @Test
    void rejectsUpdateWithTruncatedVarUint() {
        byte[] truncated = HexFormat.of().parseHex("01018080");
        assertThatThrownBy(() -> Updates.validate(truncated, UpdateFormat.V1))
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
                    assertThat(e.offset()).isEqualTo(4);
                    assertThat(e.getMessage()).contains("at byte 4");
                });
    }

    @Test
    void rejectsTrailingBytesOnlyWhenValidating() {
        byte[] withTrailer = HexFormat.of().parseHex("0101010004010174066162f09f98800000ff");
        assertThatThrownBy(() -> Updates.validate(withTrailer, UpdateFormat.V1))
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TRAILING_BYTES));
        assertThat(Updates.decodeUpdate(withTrailer).structs()).hasSize(1); // yjs ignores them too
    }

    @Test
    void rejectsZeroLengthStruct() {
        byte[] empty = HexFormat.of().parseHex("01010100040101740000"); // ContentString ""
        assertThatThrownBy(() -> Updates.validate(empty, UpdateFormat.V1))
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE));
    }

    @Test
    void rejectsV2UpdateThatRepeatsStructsForever() {
        // v2: every column empty except info = GC (repeats forever) and len = 1 (repeats forever);
        // the rest declares one client with 2^50 structs.
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(0);
        w.writeVarUint8Array(new byte[0]); // keyClock
        w.writeVarUint8Array(new byte[] {0x01}); // client: 1 (single value, then exhausted)
        w.writeVarUint8Array(new byte[0]);
        w.writeVarUint8Array(new byte[0]);
        w.writeVarUint8Array(new byte[] {0x00}); // info: GC, repeated forever
        w.writeVarUint8Array(new byte[] {0x00}); // strings: ""
        w.writeVarUint8Array(new byte[0]);
        w.writeVarUint8Array(new byte[0]);
        Lib0Writer lens = new Lib0Writer();
        lens.writeVarInt(1, true); // a run of 1s ...
        lens.writeVarUint(1L << 50); // ... 2^50 long
        w.writeVarUint8Array(lens.toByteArray());
        w.writeVarUint(1); // one client
        w.writeVarUint(1L << 50); // structs
        w.writeVarUint(0); // clock
        byte[] hostile = w.toByteArray();
        assertThatThrownBy(() -> Updates.decodeUpdateV2(hostile))
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HOSTILE_SIZE));
    }

    @Test
    void rejectsDeleteSetLongerThanInput() {
        byte[] ds = HexFormat.of().parseHex("0001018080808080808001");
        assertThatThrownBy(() -> Updates.decodeUpdate(ds))
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT));
    }

    @Test
    void stateVectorRoundTripsInDescendingClientOrder() {
        byte[] sv = Updates.encodeStateVector(Map.of(1L, 4L, 300L, 1L));
        assertThat(HexFormat.of().formatHex(sv)).isEqualTo("02ac02010104");
        assertThat(Updates.decodeStateVector(sv)).containsExactly(Map.entry(300L, 1L), Map.entry(1L, 4L));
    }
}
