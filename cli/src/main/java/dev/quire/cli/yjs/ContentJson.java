package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.yjs.codec.ContentDoc;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.model.AbstractType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a document's content, as {@code quire yjs apply} and {@code quire replay --format json} print
 * it: values of {@code toJSON()} (nested types as their own JSON, subdocuments as {@code {"$doc": {guid,
 * opts}}}), with lib0 values that JSON cannot hold tagged as {@link AnyJson} does.
 */
public final class ContentJson {
    private ContentJson() {
    }

    /** The JSON of a content value, a type's {@code toJSON()} result or a type itself. */
    public static JsonNode of(Object value) {
        return AnyJson.value(plain(value));
    }

    private static Object plain(Object v) {
        if (v instanceof AbstractType t) {
            return plain(t.toJSON());
        }
        if (v instanceof ContentDoc d) {
            JsObject inner = new JsObject();
            inner.put("guid", d.guid());
            inner.put("opts", d.opts());
            JsObject o = new JsObject();
            o.put("$doc", inner);
            return o;
        }
        if (v instanceof Map<?, ?> m) {
            JsObject o = new JsObject();
            Iterable<?> keys = m instanceof JsObject jo ? jo.keys() : m.keySet();
            for (Object k : keys) {
                o.put((String) k, plain(m.get(k)));
            }
            return o;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) {
                out.add(plain(e));
            }
            return out;
        }
        return v;
    }
}
