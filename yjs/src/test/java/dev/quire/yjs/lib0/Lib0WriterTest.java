package dev.quire.yjs.lib0;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** lib0 {@code writeAny} byte vectors, taken from yjs's own output (yjs-format.md section 1.1). */
class Lib0WriterTest {

    static List<Arguments> numberVectors() {
        return List.of(
                Arguments.of(0.0, "7d00"),
                Arguments.of(-0.0, "7d40"),
                Arguments.of(-1.0, "7d41"),
                Arguments.of(64.0, "7d8001"),
                Arguments.of(-64.0, "7dc001"),
                Arguments.of(2147483647.0, "7dbfffffff0f"),
                Arguments.of(2147483648.0, "7c4f000000"),
                Arguments.of(4294967296.0, "7c4f800000"),
                Arguments.of(9007199254740991.0, "7b433fffffffffffff"),
                Arguments.of(0.5, "7c3f000000"),
                Arguments.of(0.1, "7b3fb999999999999a"),
                Arguments.of(Double.NaN, "7b7ff8000000000000"),
                Arguments.of(Double.POSITIVE_INFINITY, "7c7f800000"));
    }

    @ParameterizedTest
    @MethodSource("numberVectors")
    void writesNumbersByJavaScriptRules(double value, String hex) {
        Lib0Writer w = new Lib0Writer();
        w.writeAny(value);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo(hex);
    }

    @ParameterizedTest
    @MethodSource("numberVectors")
    void readsNumbersBackWithSignOfZero(double value, String hex) {
        Object back = new Lib0Reader(HexFormat.of().parseHex(hex)).readAny();
        assertThat(back).isInstanceOf(Double.class);
        assertThat(Double.doubleToRawLongBits((Double) back)).isEqualTo(Double.doubleToRawLongBits(value));
    }

    @Test
    void writesBigIntAsBigEndianInt64() {
        Lib0Writer w = new Lib0Writer();
        w.writeAny(BigInteger.TEN);
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("7a000000000000000a");
    }

    @Test
    void writesObjectKeysInJavaScriptOrder() {
        JsObject o = new JsObject();
        o.put("b", 1.0);
        o.put("2", 0.0);
        Lib0Writer w = new Lib0Writer();
        w.writeAny(o);
        // {b:1, 2:0} -> the integer-like key "2" comes first
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("760201327d0001627d01");
    }

    @Test
    void writesLoneSurrogateAsReplacementCharacter() {
        Lib0Writer w = new Lib0Writer();
        w.writeVarString("a\uD83D");
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("0461efbfbd");
        w.reset();
        w.writeVarString("\uD83D\uDE00"); // a valid pair is 4 bytes
        assertThat(HexFormat.of().formatHex(w.toByteArray())).isEqualTo("04f09f9880");
    }

    @Test
    void roundTripsEveryAnyTag() {
        JsObject obj = new JsObject();
        obj.put("u", Undefined.UNDEFINED);
        obj.put("n", null);
        obj.put("list", List.of(1.0, "x", true, false, new byte[] {1, 2}));
        obj.put("big", BigInteger.valueOf(-5));
        obj.put("f", 1.5);
        obj.put("d", 0.1);
        Lib0Writer w = new Lib0Writer();
        w.writeAny(obj);
        byte[] bytes = w.toByteArray();
        Object back = new Lib0Reader(bytes).readAny();
        Lib0Writer again = new Lib0Writer();
        again.writeAny(back);
        assertThat(again.toByteArray()).isEqualTo(bytes);
        assertThat(((JsObject) back).get("u")).isSameAs(Undefined.UNDEFINED);
        assertThat(((JsObject) back).get("big")).isEqualTo(BigInteger.valueOf(-5));
    }

    @Test
    void varUintRoundTripsUpTo2Pow53() {
        for (long v : new long[] {0, 1, 127, 128, 16383, 16384, 1L << 32, Lib0Reader.MAX_SAFE_INTEGER}) {
            Lib0Writer w = new Lib0Writer();
            w.writeVarUint(v);
            assertThat(new Lib0Reader(w.toByteArray()).readVarUint()).isEqualTo(v);
        }
    }

    @Test
    void varIntKeepsNegativeZero() {
        Lib0Writer w = new Lib0Writer();
        w.writeVarInt(0, true);
        assertThat(w.toByteArray()).containsExactly(0x40);
        Lib0Reader r = new Lib0Reader(w.toByteArray());
        assertThat(r.readVarInt()).isZero();
        assertThat(r.lastVarIntNegative()).isTrue();
    }
}
