package dev.quire.yjs.lib0;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON exactly as JavaScript's {@code JSON.parse} and {@code JSON.stringify} do it, over the value
 * model of {@link Lib0Reader#readAny()}.
 *
 * <p>Yjs v1 updates carry embeds, format values and legacy JSON content as {@code JSON.stringify}
 * text, and yjs re-stringifies what it parsed, so byte equality needs JavaScript's number printing
 * ({@code 1e+21}, {@code 1e-7}), escapes (control characters and lone surrogates as lowercase backslash-u escapes) and key
 * order. This is deliberately not a general JSON library.
 */
public final class JsJson {
    private JsJson() {
    }

    /** Thrown for text {@code JSON.parse} rejects, and for values {@code JSON.stringify} rejects (bigint). */
    public static final class JsonException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message);
        }
    }

    // ---- stringify ---------------------------------------------------------------------------

    /**
     * {@code JSON.stringify(v)}. Returns {@code null} where JavaScript returns {@code undefined}
     * (for {@code undefined} itself at the top level).
     */
    public static String stringify(Object v) {
        if (v == Undefined.UNDEFINED) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        write(sb, v);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof BigInteger) {
            throw new JsonException("Do not know how to serialize a BigInt");
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            sb.append(Double.isFinite(d) ? JsNumbers.toJsString(d) : "null");
        } else if (v instanceof byte[] bytes) {
            // a Uint8Array stringifies as an object of its indices
            sb.append('{');
            for (int i = 0; i < bytes.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(i).append("\":").append(bytes[i] & 0xFF);
            }
            sb.append('}');
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Object e = list.get(i);
                if (e == Undefined.UNDEFINED) {
                    sb.append("null");
                } else {
                    write(sb, e);
                }
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            Iterable<String> keys = v instanceof JsObject jo ? jo.keys() : JsObject.jsKeyOrder(keysOf(map));
            for (String k : keys) {
                Object e = map.get(k);
                if (e == Undefined.UNDEFINED) {
                    continue;
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, k);
                sb.append(':');
                write(sb, e);
            }
            sb.append('}');
        } else {
            sb.append("null"); // functions and other unknown values: undefined -> "null" is the closest
        }
    }

    @SuppressWarnings("unchecked")
    private static Iterable<String> keysOf(Map<?, ?> map) {
        return (Iterable<String>) (Iterable<?>) map.keySet();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(sb, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    // ---- parse -------------------------------------------------------------------------------

    /** {@code JSON.parse(text)}: numbers become {@link Double}, objects {@link JsObject}. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.i != text.length()) {
            throw p.fail("unexpected character after JSON value");
        }
        return v;
    }

    private static final class Parser {
        private static final int MAX_DEPTH = 1000;
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        JsonException fail(String msg) {
            return new JsonException(msg + " at position " + i);
        }

        void ws() {
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    i++;
                } else {
                    break;
                }
            }
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw fail("JSON nested too deeply");
            }
            if (i >= s.length()) {
                throw fail("unexpected end of JSON");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    JsObject obj = new JsObject();
                    ws();
                    if (peek() == '}') {
                        i++;
                        return obj;
                    }
                    while (true) {
                        ws();
                        if (peek() != '"') {
                            throw fail("expected a string key");
                        }
                        String key = string();
                        ws();
                        expect(':');
                        ws();
                        obj.put(key, value(depth + 1));
                        ws();
                        char d = next();
                        if (d == '}') {
                            return obj;
                        }
                        if (d != ',') {
                            i--;
                            throw fail("expected , or }");
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> arr = new ArrayList<>();
                    ws();
                    if (peek() == ']') {
                        i++;
                        return arr;
                    }
                    while (true) {
                        ws();
                        arr.add(value(depth + 1));
                        ws();
                        char d = next();
                        if (d == ']') {
                            return arr;
                        }
                        if (d != ',') {
                            i--;
                            throw fail("expected , or ]");
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw fail("unexpected character '" + c + "'");
            }
        }

        char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        char next() {
            if (i >= s.length()) {
                throw fail("unexpected end of JSON");
            }
            return s.charAt(i++);
        }

        void expect(char c) {
            if (next() != c) {
                i--;
                throw fail("expected '" + c + "'");
            }
        }

        void literal(String word) {
            if (!s.startsWith(word, i)) {
                throw fail("invalid literal");
            }
            i += word.length();
        }

        Object number() {
            int start = i;
            if (peek() == '-') {
                i++;
            }
            if (peek() == '0') {
                i++;
            } else if (peek() >= '1' && peek() <= '9') {
                while (peek() >= '0' && peek() <= '9') {
                    i++;
                }
            } else {
                throw fail("invalid number");
            }
            if (peek() == '.') {
                i++;
                if (!(peek() >= '0' && peek() <= '9')) {
                    throw fail("invalid number");
                }
                while (peek() >= '0' && peek() <= '9') {
                    i++;
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                i++;
                if (peek() == '+' || peek() == '-') {
                    i++;
                }
                if (!(peek() >= '0' && peek() <= '9')) {
                    throw fail("invalid number");
                }
                while (peek() >= '0' && peek() <= '9') {
                    i++;
                }
            }
            return Double.parseDouble(s.substring(start, i)); // correctly rounded, as JavaScript
        }

        String string() {
            i++; // opening quote
            StringBuilder sb = null;
            int runStart = i;
            while (true) {
                if (i >= s.length()) {
                    throw fail("unterminated string");
                }
                char c = s.charAt(i);
                if (c == '"') {
                    String tail = s.substring(runStart, i);
                    i++;
                    return sb == null ? tail : sb.append(tail).toString();
                }
                if (c < 0x20) {
                    throw fail("control character in string");
                }
                if (c == '\\') {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(s, runStart, i);
                    i++;
                    char e = next();
                    switch (e) {
                        case '"' -> sb.append('"');
                        case '\\' -> sb.append('\\');
                        case '/' -> sb.append('/');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw fail("truncated \\u escape");
                            }
                            int cp = 0;
                            for (int k = 0; k < 4; k++) {
                                int h = Character.digit(s.charAt(i + k), 16);
                                if (h < 0) {
                                    throw fail("invalid \\u escape");
                                }
                                cp = cp * 16 + h;
                            }
                            i += 4;
                            sb.append((char) cp);
                        }
                        default -> {
                            i--;
                            throw fail("invalid escape");
                        }
                    }
                    runStart = i;
                } else {
                    i++;
                }
            }
        }
    }
}
