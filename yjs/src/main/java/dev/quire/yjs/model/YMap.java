package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.lib0.Undefined;
import java.util.List;

/** Y.Map: keys to values, last writer wins per key (by YATA order). */
public class YMap extends AbstractType {
    public YMap() {
    }

    @Override
    int typeRef() {
        return ContentType.Y_MAP;
    }

    @Override
    AbstractType copyEmpty() {
        return new YMap();
    }

    /** The value of {@code key}, or {@link Undefined#UNDEFINED}. */
    public Object get(String key) {
        return mapGet(key);
    }

    public boolean has(String key) {
        Item v = map.get(key);
        return v != null && !v.deleted();
    }

    /** Keys with a value, in insertion order. */
    public List<String> keys() {
        return List.copyOf(mapGetAll().keySet());
    }

    public int size() {
        return mapGetAll().size();
    }

    public void set(String key, Object value) {
        requireDoc().transact(tr -> TypeOps.mapSet(tr, this, key, value));
    }

    public void delete(String key) {
        requireDoc().transact(tr -> TypeOps.mapDelete(tr, this, key));
    }

    @Override
    public Object toJSON() {
        return Render.json(this);
    }
}
