package dev.quire.yjs.model;

import dev.quire.yjs.lib0.JsNumbers;
import dev.quire.yjs.lib0.Undefined;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** JavaScript value semantics the renderers and the formatting algorithm rely on. */
final class JsValues {
    private JsValues() {
    }

    /** {@code String(v)} / template-literal conversion. */
    static String toJsString(Object v) {
        if (v == null) {
            return "null";
        }
        if (v == Undefined.UNDEFINED) {
            return "undefined";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Boolean || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof Number n) {
            return JsNumbers.toJsString(n.doubleValue());
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object e = list.get(i);
                if (e != null && e != Undefined.UNDEFINED) {
                    sb.append(toJsString(e));
                }
            }
            return sb.toString();
        }
        if (v instanceof byte[] bytes) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < bytes.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(bytes[i] & 0xFF);
            }
            return sb.toString();
        }
        if (v instanceof AbstractType t) {
            return t.toString();
        }
        return "[object Object]";
    }

    /** {@code a === b}: numbers by value (NaN unequal, -0 equal to 0), strings by value, objects by identity. */
    static boolean strictEquals(Object a, Object b) {
        if (a == b) {
            return !(a instanceof Double d && d.isNaN());
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number x && b instanceof Number y && !(a instanceof BigInteger) && !(b instanceof BigInteger)) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof String || a instanceof Boolean || a instanceof BigInteger) {
            return a.equals(b);
        }
        return false;
    }

    private static boolean isObject(Object v) {
        return v instanceof Map || v instanceof List || v instanceof byte[];
    }

    /** yjs {@code equalAttrs}: strict equality, or two objects with the same own properties (flat). */
    static boolean equalAttrs(Object a, Object b) {
        if (strictEquals(a, b)) {
            return true;
        }
        if (!isObject(a) || !isObject(b)) {
            return false;
        }
        Map<String, Object> x = props(a);
        Map<String, Object> y = props(b);
        if (x.size() != y.size()) {
            return false;
        }
        for (Map.Entry<String, Object> e : x.entrySet()) {
            Object val = e.getValue();
            if (!(val != Undefined.UNDEFINED || y.containsKey(e.getKey()))) {
                return false;
            }
            Object other = y.containsKey(e.getKey()) ? y.get(e.getKey()) : Undefined.UNDEFINED;
            if (!strictEquals(other, val)) {
                return false;
            }
        }
        return true;
    }

    /** Own enumerable properties of an object, array or byte array. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Object v) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach(out::put);
        } else if (v instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                out.put(Integer.toString(i), l.get(i));
            }
        } else if (v instanceof byte[] b) {
            for (int i = 0; i < b.length; i++) {
                out.put(Integer.toString(i), (double) (b[i] & 0xFF));
            }
        }
        return out;
    }

    /** The keys {@code for (k in v)} visits, in order (strings iterate their indices). */
    static List<String> forInKeys(Object v) {
        if (v instanceof String s) {
            List<String> keys = new java.util.ArrayList<>();
            for (int i = 0; i < s.length(); i++) {
                keys.add(Integer.toString(i));
            }
            return keys;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?> || v instanceof byte[]) {
            return dev.quire.yjs.lib0.JsObject.jsKeyOrder(props(v).keySet());
        }
        return List.of();
    }

    /** {@code v[k]} for the keys of {@link #forInKeys}. */
    static Object forInValue(Object v, String k) {
        if (v instanceof String s) {
            return String.valueOf(s.charAt(Integer.parseInt(k)));
        }
        Object r = props(v).get(k);
        return r;
    }
}
