package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentEmbed;
import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.lib0.JsObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Y.Text: rich text as strings, embeds and formatting marks. Positions count UTF-16 units, as in yjs.
 * The formatting algorithms are in {@link TextOps}.
 */
public class YText extends AbstractType {
    public YText() {
        searchMarker = new ArrayList<>();
    }

    @Override
    int typeRef() {
        return ContentType.Y_TEXT;
    }

    @Override
    AbstractType copyEmpty() {
        return new YText();
    }

    public long length() {
        return length;
    }

    @Override
    void callObserver(Transaction transaction, java.util.Set<String> parentSubs) {
        super.callObserver(transaction, parentSubs);
        if (!transaction.local && hasFormatting) {
            transaction.needFormattingCleanup = true;
        }
    }

    /** The plain text: visible strings only (embeds and nested types are left out, as in yjs). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Item n = start; n != null; n = n.right) {
            if (!n.deleted() && n.countable() && n.content instanceof ContentString s) {
                s.appendTo(sb);
            }
        }
        return sb.toString();
    }

    @Override
    public Object toJSON() {
        return toString();
    }

    /**
     * The delta: {@code {insert, attributes?}} ops (a JsObject each) as yjs {@code toDelta()}. Every
     * visible format mark closes the current string op, even when nothing changes, as in yjs.
     */
    public List<Map<String, Object>> toDelta() {
        List<Map<String, Object>> ops = new ArrayList<>();
        Map<String, Object> currentAttributes = new LinkedHashMap<>();
        StringBuilder str = new StringBuilder();
        for (Item n = start; n != null; n = n.right) {
            if (n.deleted()) {
                continue;
            }
            if (n.content instanceof ContentString s) {
                s.appendTo(str);
            } else if (n.content instanceof ContentType || n.content instanceof ContentEmbed) {
                pack(ops, str, currentAttributes);
                JsObject op = new JsObject();
                op.put("insert", n.content instanceof ContentEmbed e ? e.embed() : n.type);
                if (!currentAttributes.isEmpty()) {
                    op.put("attributes", new JsObject(currentAttributes));
                }
                ops.add(op);
            } else if (n.content instanceof ContentFormat f) {
                pack(ops, str, currentAttributes);
                TextPosition.updateCurrentAttributes(currentAttributes, f);
            }
        }
        pack(ops, str, currentAttributes);
        return ops;
    }

    private static void pack(List<Map<String, Object>> ops, StringBuilder str, Map<String, Object> attrs) {
        if (str.length() > 0) {
            JsObject op = new JsObject();
            op.put("insert", str.toString());
            if (!attrs.isEmpty()) {
                op.put("attributes", new JsObject(attrs));
            }
            ops.add(op);
            str.setLength(0);
        }
    }

    /** Inserts text, taking the formatting at {@code index} (yjs {@code insert(index, text)}). */
    public void insert(long index, String text) {
        insert(index, text, null);
    }

    /** Inserts text with these attributes ({@code null} values remove an attribute). */
    public void insert(long index, String text, Map<String, Object> attributes) {
        if (text.isEmpty()) {
            return;
        }
        requireDoc().transact(tr -> {
            TextPosition pos = TextOps.findPosition(tr, this, index, attributes == null);
            Map<String, Object> attrs = attributes;
            if (attrs == null) {
                attrs = new JsObject(pos.currentAttributes);
            }
            TextOps.insertText(tr, this, pos, text, attrs);
        });
    }

    /** Inserts an embed (a JSON object) or a nested type. */
    public void insertEmbed(long index, Object embed, Map<String, Object> attributes) {
        requireDoc().transact(tr -> {
            TextPosition pos = TextOps.findPosition(tr, this, index, attributes == null);
            TextOps.insertText(tr, this, pos, embed, attributes == null ? new JsObject() : attributes);
        });
    }

    public void delete(long index, long len) {
        if (len == 0) {
            return;
        }
        requireDoc().transact(tr -> TextOps.deleteText(tr, TextOps.findPosition(tr, this, index, true), len));
    }

    /** Applies attributes to a range (yjs {@code format}). */
    public void format(long index, long len, Map<String, Object> attributes) {
        if (len == 0) {
            return;
        }
        requireDoc().transact(tr -> {
            TextPosition pos = TextOps.findPosition(tr, this, index, false);
            if (pos.right == null) {
                return;
            }
            TextOps.formatText(tr, this, pos, len, attributes);
        });
    }
}
