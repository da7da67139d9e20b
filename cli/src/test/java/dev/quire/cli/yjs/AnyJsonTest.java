package dev.quire.cli.yjs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.lib0.Undefined;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnyJsonTest {

    private static String render(Object value) {
        return JsonText.pretty(AnyJson.value(value)).replaceAll("\\s+", "");
    }

    @Test
    void numbersPrintAsJavaScriptPrintsThem() {
        assertThat(render(3.0)).isEqualTo("3");
        assertThat(render(-12.0)).isEqualTo("-12");
        assertThat(render(0.1)).isEqualTo("0.1");
        assertThat(render(1e21)).isEqualTo("1e+21");
        assertThat(render(1e-7)).isEqualTo("1e-7");
        assertThat(render(9007199254740993.0)).isEqualTo("9007199254740992");
    }

    @Test
    void valuesJsonCannotHoldAreTagged() {
        assertThat(render(Undefined.UNDEFINED)).isEqualTo("{\"$undefined\":true}");
        assertThat(render(Double.NaN)).isEqualTo("{\"$number\":\"NaN\"}");
        assertThat(render(Double.POSITIVE_INFINITY)).isEqualTo("{\"$number\":\"Infinity\"}");
        assertThat(render(Double.NEGATIVE_INFINITY)).isEqualTo("{\"$number\":\"-Infinity\"}");
        assertThat(render(-0.0)).isEqualTo("{\"$number\":\"-0\"}");
        assertThat(render(new BigInteger("-9223372036854775808"))).isEqualTo("{\"$bigint\":\"-9223372036854775808\"}");
        assertThat(render(new byte[] {0, 1, (byte) 0xFF})).isEqualTo("{\"$bytes\":\"AAH/\"}");
    }

    @Test
    void plainValuesKeepTheirJsonForm() {
        JsObject obj = new JsObject();
        obj.put("b", true);
        obj.put("1", null);
        obj.put("s", "x\"y");
        obj.put("list", Arrays.asList(1.0, null, List.of()));

        assertThat(render(obj)).isEqualTo("{\"1\":null,\"b\":true,\"s\":\"x\\\"y\",\"list\":[1,null,[]]}");
    }

    @Test
    void objectThatLooksLikeATagIsWrapped() {
        assertThat(render(new JsObject(Map.of("$bigint", "1")))).isEqualTo("{\"$object\":{\"$bigint\":\"1\"}}");
        assertThat(render(new JsObject(Map.of("$object", 1.0)))).isEqualTo("{\"$object\":{\"$object\":1}}");
        assertThat(render(new JsObject(Map.of("$other", 1.0)))).isEqualTo("{\"$other\":1}");
    }
}
