package dev.quire.yjs.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Lib0ReaderTest {
    private static Lib0Reader reader(String hex) {
        return new Lib0Reader(HexFormat.of().parseHex(hex));
    }

    @Test
    void rejectsTruncatedVarUintWithOffset() {
        assertThatThrownBy(() -> reader("8080").readVarUint())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
                    assertThat(e.offset()).isEqualTo(2);
                });
    }

    @Test
    void rejectsVarUintBeyond2Pow53() {
        assertThatThrownBy(() -> reader("ffffffffffffffffff01").readVarUint())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VAR_INT));
    }

    @Test
    void acceptsNonCanonicalVarUintAsJavaScriptDoes() {
        assertThat(reader("8000").readVarUint()).isZero();
    }

    @Test
    void rejectsLengthPrefixLargerThanInputWithoutAllocating() {
        // claims a 2^40-byte string in a 7-byte input
        assertThatThrownBy(() -> reader("8080808080200000").readVarString())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT));
        assertThatThrownBy(() -> reader("75ffffffff0f").readAny())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LENGTH_EXCEEDS_INPUT));
    }

    @Test
    void rejectsInvalidUtf8LikeFatalTextDecoder() {
        assertThatThrownBy(() -> reader("02c328").readVarString())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_UTF8));
        // an encoded surrogate (CESU) is invalid UTF-8 too
        assertThatThrownBy(() -> reader("03eda080").readVarString()).isInstanceOf(MalformedUpdateException.class);
    }

    @Test
    void keepsByteOrderMark() {
        assertThat(reader("03efbbbf").readVarString()).isEqualTo("\uFEFF");
    }

    @Test
    void rejectsUnknownAnyTag() {
        assertThatThrownBy(() -> reader("73").readAny())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_ANY_TAG);
                    assertThat(e.offset()).isZero();
                });
    }

    @Test
    void rejectsHostileNesting() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            hex.append("7501"); // array of one element, nested
        }
        hex.append("7e");
        assertThatThrownBy(() -> reader(hex.toString()).readAny())
                .isInstanceOfSatisfying(MalformedUpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.HOSTILE_SIZE));
    }

    @Test
    void objectKeyProtoDisappearsAsInJavaScript() {
        // {"__proto__": 1, "a": 2}
        Lib0Writer w = new Lib0Writer();
        w.writeUint8(118);
        w.writeVarUint(2);
        w.writeVarString("__proto__");
        w.writeAny(1.0);
        w.writeVarString("a");
        w.writeAny(2.0);
        JsObject o = (JsObject) new Lib0Reader(w.toByteArray()).readAny();
        assertThat(o.keys()).containsExactly("a");
    }
}
