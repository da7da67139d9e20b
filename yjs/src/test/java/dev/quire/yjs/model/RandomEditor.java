package dev.quire.yjs.model;

import dev.quire.yjs.lib0.JsObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random local edits on the roots "text" (Y.Text), "map" (Y.Map) and "array" (Y.Array) of a document.
 * Text positions never fall inside a surrogate pair, as in a real editor: yjs itself lets peers diverge
 * when an edit splits a pair (the sender keeps U+FFFD halves it never sends), which the yjs corpus covers.
 */
final class RandomEditor {
    static final Map<String, String> ROOTS = Map.of("text", "text", "map", "map", "array", "array");
    private static final String[] PIECES = {"a", "b", "hello ", "é", "日本", "😀", "𝄞x", "\n", "👩‍👩‍👧"};
    private static final List<Map<String, Object>> FORMATS = List.of(
            Map.of("bold", true), Map.of("italic", true), Map.of("color", "#ff0000"),
            nullAttr("bold"), nullAttr("color"));

    private static Map<String, Object> nullAttr(String key) {
        JsObject o = new JsObject();
        o.put(key, null);
        return o;
    }

    private RandomEditor() {
    }

    /** Moves {@code i} back off the middle of a surrogate pair. */
    private static int boundary(String s, int i) {
        if (i > 0 && i < s.length() && Character.isHighSurrogate(s.charAt(i - 1)) && Character.isLowSurrogate(s.charAt(i))) {
            return i - 1;
        }
        return i;
    }

    static void edit(YDoc doc, Random rnd) {
        YText text = doc.getText("text");
        YMap map = doc.getMap("map");
        YArray array = doc.getArray("array");
        int op = rnd.nextInt(10);
        String s = text.toString();
        long len = text.length();
        switch (op) {
            case 0, 1, 2 -> text.insert(boundary(s, rnd.nextInt((int) len + 1)), PIECES[rnd.nextInt(PIECES.length)]);
            case 3 -> text.insert(boundary(s, rnd.nextInt((int) len + 1)), PIECES[rnd.nextInt(PIECES.length)],
                    new JsObject(FORMATS.get(rnd.nextInt(FORMATS.size()))));
            case 4 -> {
                if (len > 0 && s.length() == len) {
                    int at = boundary(s, rnd.nextInt((int) len));
                    int end = boundary(s, (int) Math.min(len, at + 1 + rnd.nextInt(5)));
                    if (end > at) {
                        text.delete(at, end - at);
                    }
                }
            }
            case 5 -> {
                if (len > 0 && s.length() == len) {
                    int at = boundary(s, rnd.nextInt((int) len));
                    int end = boundary(s, (int) Math.min(len, at + 1 + rnd.nextInt(6)));
                    if (end > at) {
                        text.format(at, end - at, new JsObject(FORMATS.get(rnd.nextInt(FORMATS.size()))));
                    }
                }
            }
            case 6 -> map.set("k" + rnd.nextInt(5), rnd.nextBoolean() ? (double) rnd.nextInt(1000) : "v" + rnd.nextInt(100));
            case 7 -> map.delete("k" + rnd.nextInt(5));
            case 8 -> {
                List<Object> values = new ArrayList<>();
                for (int i = rnd.nextInt(3); i >= 0; i--) {
                    values.add(rnd.nextBoolean() ? (Object) (double) rnd.nextInt(50) : "s" + rnd.nextInt(9));
                }
                array.insert(rnd.nextInt((int) array.length() + 1), values);
            }
            default -> {
                if (array.length() > 0) {
                    long at = rnd.nextInt((int) array.length());
                    array.delete(at, 1 + rnd.nextInt((int) Math.min(3, array.length() - at)));
                }
            }
        }
    }
}
