package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Y.XmlElement: a named XML node with attributes (its map part) and children (its list part). */
public class YXmlElement extends YXmlFragment {
    private final String nodeName;

    public YXmlElement(String nodeName) {
        this.nodeName = nodeName == null ? "UNDEFINED" : nodeName;
    }

    public String nodeName() {
        return nodeName;
    }

    @Override
    int typeRef() {
        return ContentType.Y_XML_ELEMENT;
    }

    @Override
    String typeKey() {
        return nodeName;
    }

    @Override
    AbstractType copyEmpty() {
        return new YXmlElement(nodeName);
    }

    public void setAttribute(String name, Object value) {
        requireDoc().transact(tr -> TypeOps.mapSet(tr, this, name, value));
    }

    public void removeAttribute(String name) {
        requireDoc().transact(tr -> TypeOps.mapDelete(tr, this, name));
    }

    public Object getAttribute(String name) {
        return mapGet(name);
    }

    public Map<String, Object> getAttributes() {
        return mapGetAll();
    }

    /** {@code <nodename k="v">children</nodename>}: attributes sorted, values as JavaScript strings, no escaping. */
    @Override
    void stringParts(List<Object> parts) {
        Map<String, Object> attrs = mapGetAll();
        List<String> keys = new ArrayList<>(attrs.keySet());
        keys.sort(null); // JavaScript's default sort compares UTF-16 units, as String.compareTo
        String name = nodeName.toLowerCase(Locale.ROOT);
        parts.add("<" + name);
        for (String k : keys) {
            parts.add(" " + k + "=\"");
            parts.add(Render.part(attrs.get(k)));
            parts.add("\"");
        }
        parts.add(">");
        super.stringParts(parts);
        parts.add("</" + name + ">");
    }
}
