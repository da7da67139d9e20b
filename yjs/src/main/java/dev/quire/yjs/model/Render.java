package dev.quire.yjs.model;

import dev.quire.yjs.lib0.JsObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON of maps and arrays and the strings of XML types, rendered as yjs's {@code toJSON()} and {@code toString()}
 * do, but walking nested types from a work list of their own: yjs recurses once per level of nesting, which on the
 * JVM overflows a thread's stack long before a document is too big to hold.
 */
final class Render {
    private Render() {
    }

    /** yjs {@code YMap.toJSON()} / {@code YArray.toJSON()} of {@code top}, a map or an array. */
    static Object json(AbstractType top) {
        ArrayDeque<JsonFrame> frames = new ArrayDeque<>();
        JsonFrame first = JsonFrame.of(top);
        frames.push(first);
        while (!frames.isEmpty()) {
            JsonFrame frame = frames.peek();
            if (!frame.hasNext()) {
                frames.pop();
                continue;
            }
            Object value = frame.nextValue();
            Object json;
            if (value instanceof YMap || value instanceof YArray) {
                JsonFrame child = JsonFrame.of((AbstractType) value);
                json = child.out;
                frames.push(child);
            } else {
                json = value instanceof AbstractType t ? t.toJSON() : value; // texts and XML: their string
            }
            frame.add(json);
        }
        return first.out;
    }

    /** A map's undeleted entries (yjs {@code typeMapGetAll}) or a list's visible contents, and the JSON being built. */
    private static final class JsonFrame {
        final Object out;
        private final Iterator<Map.Entry<String, Item>> entries;
        private final Iterator<Object> elements;
        private Map.Entry<String, Item> entry;
        private String key;

        private JsonFrame(Object out, Iterator<Map.Entry<String, Item>> entries, Iterator<Object> elements) {
            this.out = out;
            this.entries = entries;
            this.elements = elements;
        }

        static JsonFrame of(AbstractType t) {
            if (t instanceof YMap) {
                return new JsonFrame(new JsObject(), t.map.entrySet().iterator(), null);
            }
            return new JsonFrame(new ArrayList<>(), null, t.listToArray().iterator());
        }

        boolean hasNext() {
            if (elements != null) {
                return elements.hasNext();
            }
            while (entry == null && entries.hasNext()) {
                Map.Entry<String, Item> e = entries.next();
                if (!e.getValue().deleted()) {
                    entry = e;
                }
            }
            return entry != null;
        }

        Object nextValue() {
            if (elements != null) {
                return elements.next();
            }
            key = entry.getKey();
            Object v = entry.getValue().lastContent();
            entry = null;
            return v;
        }

        @SuppressWarnings("unchecked")
        void add(Object json) {
            if (elements != null) {
                ((List<Object>) out).add(json);
            } else {
                ((JsObject) out).put(key, json);
            }
        }
    }

    /**
     * {@code String(top)} for an XML type: every type's {@link AbstractType#stringParts} gives strings and the nested
     * types to render in their place, which are expanded in turn.
     */
    static String string(AbstractType top) {
        StringBuilder out = new StringBuilder();
        ArrayDeque<Object> work = new ArrayDeque<>();
        List<Object> parts = new ArrayList<>();
        work.push(top);
        while (!work.isEmpty()) {
            Object next = work.pop();
            if (next instanceof String s) {
                out.append(s);
            } else {
                parts.clear();
                ((AbstractType) next).stringParts(parts);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    work.push(parts.get(i));
                }
            }
        }
        return out.toString();
    }

    /** A value inside an XML string: a nested type is rendered in its place, anything else is its JavaScript string. */
    static Object part(Object v) {
        return v instanceof AbstractType ? v : JsValues.toJsString(v);
    }
}
