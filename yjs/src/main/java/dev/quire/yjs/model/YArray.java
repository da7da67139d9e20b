package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;
import java.util.ArrayList;
import java.util.List;

/** Y.Array: an ordered list of values and nested types. */
public class YArray extends AbstractType {
    public YArray() {
        searchMarker = new ArrayList<>();
    }

    @Override
    int typeRef() {
        return ContentType.Y_ARRAY;
    }

    @Override
    AbstractType copyEmpty() {
        return new YArray();
    }

    public long length() {
        return length;
    }

    public Object get(long index) {
        return listGet(index);
    }

    public List<Object> toArray() {
        return listToArray();
    }

    public void insert(long index, List<?> content) {
        requireDoc().transact(tr -> TypeOps.insertGenerics(tr, this, index, content));
    }

    public void push(List<?> content) {
        insert(length, content);
    }

    public void delete(long index, long len) {
        requireDoc().transact(tr -> TypeOps.delete(tr, this, index, len));
    }

    @Override
    public Object toJSON() {
        return Render.json(this);
    }
}
