package dev.quire.yjs.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings are what Node 20 prints for {@code String(x)} / {@code JSON.stringify(x)}. */
class JsJsonTest {

    @ParameterizedTest
    @CsvSource({
        "1e21, 1e+21",
        "1e-7, 1e-7",
        "100, 100",
        "1.5, 1.5",
        "0.1, 0.1",
        "123456789012345680000, 123456789012345680000",
        "0.000001, 0.000001",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "5e-324, 5e-324",
        "-2.5, -2.5",
        "9007199254740993, 9007199254740992",
        "2147483648, 2147483648",
        "0.30000000000000004, 0.30000000000000004",
        "1234.5678, 1234.5678",
        "1e100, 1e+100",
        "123e-20, 1.23e-18"
    })
    void printsNumbersAsJavaScript(String literal, String expected) {
        assertThat(JsNumbers.toJsString(Double.parseDouble(literal))).isEqualTo(expected);
    }

    @Test
    void stringifiesLikeJavaScript() {
        JsObject o = new JsObject();
        o.put("b", "x\"\\\n\u001f\u2028");
        o.put("1", -0.0);
        o.put("u", Undefined.UNDEFINED);
        o.put("arr", Arrays.asList(Undefined.UNDEFINED, Double.NaN, Double.POSITIVE_INFINITY, null));
        o.put("lone", "\uD800x\uDC00");
        assertThat(JsJson.stringify(o))
                .isEqualTo("{\"1\":0,\"b\":\"x\\\"\\\\\\n\\u001f\u2028\",\"arr\":[null,null,null,null],\"lone\":\"\\ud800x\\udc00\"}");
        assertThat(JsJson.stringify(Undefined.UNDEFINED)).isNull();
        assertThat(JsJson.stringify(new byte[] {1, 2})).isEqualTo("{\"0\":1,\"1\":2}");
    }

    @Test
    void refusesBigIntAsJavaScriptDoes() {
        assertThatThrownBy(() -> JsJson.stringify(BigInteger.ONE)).isInstanceOf(JsJson.JsonException.class);
    }

    @Test
    void parsesAndReStringifiesCanonically() {
        assertThat(JsJson.stringify(JsJson.parse(" { \"a\" : 1.0 , \"10\": [true, false, null, \"\\u00e9\\ud83d\\ude00\"] } ")))
                .isEqualTo("{\"10\":[true,false,null,\"é😀\"],\"a\":1}");
        assertThat(JsJson.parse("{\"a\":1,\"a\":2}")).isEqualTo(new JsObject(java.util.Map.of("a", 2.0)));
        assertThat(JsJson.parse("[]")).isEqualTo(List.of());
    }

    @Test
    void rejectsWhatJsonParseRejects() {
        for (String bad : new String[] {"", "undefined", "{a:1}", "[1,]", "01", "1.", "\"\t\"", "{\"a\":1}x", "NaN", "'x'"}) {
            assertThatThrownBy(() -> JsJson.parse(bad)).as(bad).isInstanceOf(JsJson.JsonException.class);
        }
    }
}
