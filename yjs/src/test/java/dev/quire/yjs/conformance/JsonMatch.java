package dev.quire.yjs.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.codec.ContentDoc;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.lib0.Undefined;
import dev.quire.yjs.model.AbstractType;
import dev.quire.yjs.model.YArray;
import dev.quire.yjs.model.YMap;
import dev.quire.yjs.model.YText;
import dev.quire.yjs.model.YXmlElement;
import dev.quire.yjs.model.YXmlFragment;
import dev.quire.yjs.model.YXmlHook;
import dev.quire.yjs.model.YXmlText;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares a Java value of the {@code any} model with the JSON the corpus generator wrote for yjs's value,
 * including object key order and the tagged forms of values JSON cannot hold ({@code $number},
 * {@code $undefined}, {@code $bigint}, {@code $bytes}, {@code $doc}, {@code $ytype}).
 */
final class JsonMatch {
    private JsonMatch() {
    }

    /** Null when equal, else the first difference with its path. */
    static String diff(JsonNode expected, Object actual, String path) {
        return diff(expected, actual, path, true);
    }

    /**
     * As {@link #diff(JsonNode, Object, String)}; without {@code keyOrder}, objects may list their keys in another
     * order (a map's key order is the order its keys were integrated, which differs when an update is applied in parts).
     */
    static String diff(JsonNode expected, Object actual, String path, boolean keyOrder) {
        if (expected.isObject() && expected.size() == 1) {
            String tag = expected.fieldNames().next();
            JsonNode v = expected.get(tag);
            switch (tag) {
                case "$number" -> {
                    if (!(actual instanceof Number n)) {
                        return path + ": expected number " + v + " but was " + actual;
                    }
                    double d = n.doubleValue();
                    String s = Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity")
                            : (d == 0 && 1 / d < 0) ? "-0" : Double.toString(d);
                    return s.equals(v.asText()) ? null : path + ": expected " + v + " but was " + d;
                }
                case "$undefined" -> {
                    return actual == Undefined.UNDEFINED ? null : path + ": expected undefined but was " + actual;
                }
                case "$bigint" -> {
                    return actual instanceof BigInteger b && b.toString().equals(v.asText()) ? null
                            : path + ": expected bigint " + v + " but was " + actual;
                }
                case "$bytes" -> {
                    return actual instanceof byte[] b && java.util.Arrays.equals(b, Base64.getDecoder().decode(v.asText())) ? null
                            : path + ": bytes differ";
                }
                case "$doc" -> {
                    if (!(actual instanceof ContentDoc d)) {
                        return path + ": expected a subdocument but was " + actual;
                    }
                    if (!d.guid().equals(v.get("guid").asText())) {
                        return path + ": subdocument guid " + d.guid() + " vs " + v.get("guid");
                    }
                    return diff(v.get("opts"), d.opts(), path + ".opts", keyOrder);
                }
                case "$ytype" -> {
                    if (!(actual instanceof AbstractType t)) {
                        return path + ": expected a type but was " + actual;
                    }
                    String kind = kind(t);
                    if (!kind.equals(v.get("kind").asText())) {
                        return path + ": type kind " + kind + " vs " + v.get("kind");
                    }
                    return diff(v.get("json"), t.toJSON(), path + ".json", keyOrder);
                }
                default -> {
                    // an ordinary one-key object
                }
            }
        }
        if (expected.isNull()) {
            return actual == null ? null : path + ": expected null but was " + actual;
        }
        if (expected.isTextual()) {
            return expected.asText().equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
        }
        if (expected.isBoolean()) {
            return Boolean.valueOf(expected.asBoolean()).equals(actual) ? null : path + ": expected " + expected + " but was " + actual;
        }
        if (expected.isNumber()) {
            if (!(actual instanceof Number n) || actual instanceof BigInteger) {
                return path + ": expected number " + expected + " but was " + actual;
            }
            double d = n.doubleValue();
            return d == expected.asDouble() && !(d == 0 && 1 / d < 0) ? null : path + ": expected " + expected + " but was " + d;
        }
        if (expected.isArray()) {
            if (!(actual instanceof List<?> list)) {
                return path + ": expected array but was " + actual;
            }
            if (list.size() != expected.size()) {
                return path + ": array length " + list.size() + " vs " + expected.size();
            }
            for (int i = 0; i < list.size(); i++) {
                String d = diff(expected.get(i), list.get(i), path + "[" + i + "]", keyOrder);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.isObject()) {
            if (!(actual instanceof Map<?, ?> map)) {
                return path + ": expected object but was " + actual;
            }
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                keys.add(it.next());
            }
            List<String> actualKeys = new ArrayList<>();
            if (map instanceof JsObject jo) {
                actualKeys.addAll(jo.keys());
            } else {
                for (Object k : map.keySet()) {
                    actualKeys.add((String) k);
                }
            }
            if (keyOrder ? !keys.equals(actualKeys) : !new java.util.HashSet<>(keys).equals(new java.util.HashSet<>(actualKeys))) {
                return path + ": keys " + actualKeys + " vs " + keys;
            }
            for (String k : keys) {
                String d = diff(expected.get(k), map.get(k), path + "." + k, keyOrder);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return path + ": unsupported expected value " + expected;
    }

    static String kind(AbstractType t) {
        if (t instanceof YXmlText) {
            return "xmlText";
        }
        if (t instanceof YText) {
            return "text";
        }
        if (t instanceof YXmlHook) {
            return "xmlHook";
        }
        if (t instanceof YMap) {
            return "map";
        }
        if (t instanceof YArray) {
            return "array";
        }
        if (t instanceof YXmlElement) {
            return "xmlElement";
        }
        if (t instanceof YXmlFragment) {
            return "xmlFragment";
        }
        return "abstract";
    }
}
