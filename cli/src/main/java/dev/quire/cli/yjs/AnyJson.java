package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.quire.yjs.lib0.JsNumbers;
import dev.quire.yjs.lib0.Undefined;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders values of the lib0 {@code any} model ({@link dev.quire.yjs.lib0.Lib0Reader#readAny()}) as
 * JSON without losing any of them.
 *
 * <p>Numbers print as JavaScript prints them ({@code 3}, {@code 0.1}, {@code 1e+21}). What JSON
 * cannot hold is tagged: {@code {"$undefined":true}}, {@code {"$number":"NaN"|"Infinity"|"-Infinity"|"-0"}},
 * {@code {"$bigint":"123"}}, {@code {"$bytes":"<base64>"}}. An object whose only key is one of these
 * tags (or {@code $object}) is itself wrapped as {@code {"$object":{...}}}, so a tag always means a tag.
 */
final class AnyJson {
    static final String UNDEFINED = "$undefined";
    static final String NUMBER = "$number";
    static final String BIGINT = "$bigint";
    static final String BYTES = "$bytes";
    static final String OBJECT = "$object";
    private static final Set<String> TAGS = Set.of(UNDEFINED, NUMBER, BIGINT, BYTES, OBJECT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AnyJson() {
    }

    /** The JSON for one value. */
    static JsonNode value(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v == Undefined.UNDEFINED) {
            return tagged(UNDEFINED, NODES.booleanNode(true));
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof String s) {
            return NODES.textNode(s);
        }
        if (v instanceof BigInteger big) {
            return tagged(BIGINT, NODES.textNode(big.toString()));
        }
        if (v instanceof Double || v instanceof Float) {
            return number(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return NODES.numberNode(n.longValue());
        }
        if (v instanceof byte[] bytes) {
            return tagged(BYTES, NODES.textNode(Base64.getEncoder().encodeToString(bytes)));
        }
        if (v instanceof Map<?, ?> map) {
            return object(map);
        }
        if (v instanceof List<?> list) {
            return array(list);
        }
        throw new IllegalArgumentException("not a lib0 any value: " + v.getClass().getName());
    }

    /** A JSON array of the values. */
    static ArrayNode array(List<?> values) {
        ArrayNode arr = NODES.arrayNode(values.size());
        for (Object v : values) {
            arr.add(value(v));
        }
        return arr;
    }

    private static JsonNode number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return tagged(NUMBER, NODES.textNode(JsNumbers.toJsString(d)));
        }
        if (d == 0 && JsNumbers.isNegative(d)) {
            return tagged(NUMBER, NODES.textNode("-0"));
        }
        return NODES.rawValueNode(new RawValue(JsNumbers.toJsString(d)));
    }

    private static JsonNode object(Map<?, ?> map) {
        ObjectNode obj = NODES.objectNode();
        map.forEach((k, v) -> obj.set(String.valueOf(k), value(v)));
        if (obj.size() == 1 && TAGS.contains(obj.fieldNames().next())) {
            return tagged(OBJECT, obj);
        }
        return obj;
    }

    private static ObjectNode tagged(String tag, JsonNode value) {
        ObjectNode obj = NODES.objectNode();
        obj.set(tag, value);
        return obj;
    }
}
