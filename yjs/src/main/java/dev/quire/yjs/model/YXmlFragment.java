package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;
import java.util.List;

/** Y.XmlFragment: a list of XML elements and texts; its JSON is its XML string. */
public class YXmlFragment extends AbstractType {
    public YXmlFragment() {
    }

    @Override
    int typeRef() {
        return ContentType.Y_XML_FRAGMENT;
    }

    @Override
    AbstractType copyEmpty() {
        return new YXmlFragment();
    }

    public long length() {
        return length;
    }

    public List<Object> toArray() {
        return listToArray();
    }

    public void insert(long index, List<? extends AbstractType> content) {
        requireDoc().transact(tr -> TypeOps.insertGenerics(tr, this, index, content));
    }

    public void delete(long index, long len) {
        requireDoc().transact(tr -> TypeOps.delete(tr, this, index, len));
    }

    /** The children's strings joined, as yjs {@code YXmlFragment.toString()}. */
    @Override
    public String toString() {
        return Render.string(this);
    }

    @Override
    void stringParts(List<Object> parts) {
        for (Object child : listToArray()) {
            parts.add(Render.part(child));
        }
    }

    @Override
    public Object toJSON() {
        return toString();
    }
}
