package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Y.XmlText: a text inside XML; its string wraps formatted runs in tags, as yjs does. */
public class YXmlText extends YText {
    public YXmlText() {
    }

    @Override
    int typeRef() {
        return ContentType.Y_XML_TEXT;
    }

    @Override
    AbstractType copyEmpty() {
        return new YXmlText();
    }

    /**
     * yjs {@code YXmlText.toString()}: each delta op becomes its insert wrapped in one tag per attribute
     * (sorted by name), with that attribute value's own properties as tag attributes ({@code for...in}:
     * a string value lists its characters).
     */
    @Override
    public String toString() {
        return Render.string(this);
    }

    @Override
    void stringParts(List<Object> parts) {
        for (Map<String, Object> op : toDelta()) {
            List<String> nodeNames = new ArrayList<>();
            @SuppressWarnings("unchecked")
            Map<String, Object> attributes = (Map<String, Object>) op.get("attributes");
            if (attributes != null) {
                nodeNames.addAll(attributes.keySet());
            }
            nodeNames.sort(null);
            StringBuilder str = new StringBuilder();
            for (String nodeName : nodeNames) {
                Object value = attributes.get(nodeName);
                List<String> keys = new ArrayList<>(JsValues.forInKeys(value));
                keys.sort(null);
                str.append('<').append(nodeName);
                for (String k : keys) {
                    str.append(' ').append(k).append("=\"").append(JsValues.toJsString(JsValues.forInValue(value, k))).append('"');
                }
                str.append('>');
            }
            parts.add(str.toString());
            parts.add(Render.part(op.get("insert")));
            StringBuilder close = new StringBuilder();
            for (int i = nodeNames.size() - 1; i >= 0; i--) {
                close.append("</").append(nodeNames.get(i)).append('>');
            }
            parts.add(close.toString());
        }
    }

    @Override
    public Object toJSON() {
        return toString();
    }
}
