package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.JsNumbers;
import dev.quire.yjs.lib0.JsObject;
import dev.quire.yjs.lib0.Undefined;
import java.util.Map;

/**
 * Ref 9: a subdocument, kept by guid and options. Options are canonical as yjs re-encodes them:
 * only {@code gc: false}, {@code autoLoad: true} and {@code meta} (when not null), in that order.
 */
public record ContentDoc(String guid, JsObject opts) implements Content {
    public static final int REF = 9;

    /**
     * Builds the content as yjs's {@code new ContentDoc(createDocFromOpts(guid, opts))} does: the
     * options go through a {@code Y.Doc} constructor and back.
     */
    public static ContentDoc fromDecoded(String guid, Object rawOpts) {
        JsObject canonical = new JsObject();
        String g = guid;
        if (rawOpts instanceof Map<?, ?> m) {
            if (m.get("guid") instanceof String s) {
                g = s; // {guid, ...opts}: an own guid option wins
            }
            Object gc = m.containsKey("gc") ? m.get("gc") : Undefined.UNDEFINED;
            if (gc != Undefined.UNDEFINED && !JsNumbers.truthy(gc)) {
                canonical.put("gc", Boolean.FALSE);
            }
            if (JsNumbers.truthy(m.get("autoLoad"))) {
                canonical.put("autoLoad", Boolean.TRUE);
            }
            Object meta = m.containsKey("meta") ? m.get("meta") : null;
            if (meta != null && meta != Undefined.UNDEFINED) {
                canonical.put("meta", meta);
            }
        }
        return new ContentDoc(g, canonical);
    }

    @Override
    public int ref() {
        return REF;
    }

    @Override
    public long length() {
        return 1;
    }

    @Override
    public boolean countable() {
        return true;
    }

    @Override
    public void write(UpdateEncoder encoder, long offset) {
        encoder.writeString(guid);
        encoder.writeAny(opts);
    }
}
