package dev.quire.yjs.model;

import dev.quire.yjs.codec.Content;
import dev.quire.yjs.codec.ContentEmbed;
import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.lib0.JsObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rich-text editing as yjs {@code types/YText.js} does it: inserting text with attributes, formatting
 * ranges, deleting, and the cleanup of redundant format marks after remote changes. The exact
 * sequence of created and deleted format items matters for byte equality with yjs.
 */
final class TextOps {
    private TextOps() {
    }

    private static Object getOrNull(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == dev.quire.yjs.lib0.Undefined.UNDEFINED ? null : v;
    }

    static TextPosition findNextPosition(Transaction tr, TextPosition pos, long count) {
        while (pos.right != null && count > 0) {
            if (pos.right.content instanceof ContentFormat f) {
                if (!pos.right.deleted()) {
                    TextPosition.updateCurrentAttributes(pos.currentAttributes, f);
                }
            } else if (!pos.right.deleted()) {
                if (count < pos.right.length) {
                    tr.doc.store.getItemCleanStart(tr, new ID(pos.right.client, pos.right.clock + count));
                }
                pos.index += pos.right.length;
                count -= pos.right.length;
            }
            pos.left = pos.right;
            pos.right = pos.right.right;
        }
        return pos;
    }

    static TextPosition findPosition(Transaction tr, AbstractType parent, long index, boolean useSearchMarker) {
        Map<String, Object> currentAttributes = new LinkedHashMap<>();
        SearchMarker marker = useSearchMarker ? SearchMarker.find(parent, index) : null;
        if (marker != null) {
            TextPosition pos = new TextPosition(marker.p.left, marker.p, marker.index, currentAttributes);
            return findNextPosition(tr, pos, index - marker.index);
        }
        return findNextPosition(tr, new TextPosition(null, parent.start, 0, currentAttributes), index);
    }

    private static Item newItem(Transaction tr, AbstractType parent, Item left, Item right, Content content, AbstractType type) {
        return TypeOps.insertItem(tr, parent, left, right, null, content, type);
    }

    static void insertNegatedAttributes(Transaction tr, AbstractType parent, TextPosition currPos, Map<String, Object> negated) {
        while (currPos.right != null && (currPos.right.deleted()
                || (currPos.right.content instanceof ContentFormat f
                    && JsValues.equalAttrs(negated.containsKey(f.key()) ? negated.get(f.key()) : dev.quire.yjs.lib0.Undefined.UNDEFINED, f.value())))) {
            if (!currPos.right.deleted()) {
                negated.remove(((ContentFormat) currPos.right.content).key());
            }
            currPos.forward();
        }
        for (Map.Entry<String, Object> e : negated.entrySet()) {
            Item next = newItem(tr, parent, currPos.left, currPos.right, new ContentFormat(e.getKey(), e.getValue()), null);
            currPos.right = next;
            currPos.forward();
        }
    }

    static void minimizeAttributeChanges(TextPosition currPos, Map<String, Object> attributes) {
        while (currPos.right != null) {
            if (currPos.right.deleted()
                    || (currPos.right.content instanceof ContentFormat f && JsValues.equalAttrs(getOrNull(attributes, f.key()), f.value()))) {
                currPos.forward();
            } else {
                break;
            }
        }
    }

    static Map<String, Object> insertAttributes(Transaction tr, AbstractType parent, TextPosition currPos, Map<String, Object> attributes) {
        Map<String, Object> negated = new LinkedHashMap<>();
        for (String key : keysInJsOrder(attributes)) {
            Object val = attributes.get(key);
            Object currentVal = getOrNull(currPos.currentAttributes, key);
            if (!JsValues.equalAttrs(currentVal, val)) {
                negated.put(key, currentVal);
                currPos.right = newItem(tr, parent, currPos.left, currPos.right, new ContentFormat(key, val), null);
                currPos.forward();
            }
        }
        return negated;
    }

    private static List<String> keysInJsOrder(Map<String, Object> attrs) {
        return attrs instanceof JsObject jo ? jo.keys() : JsObject.jsKeyOrder(attrs.keySet());
    }

    /** Inserts a string, an embed (JSON object) or a nested type with {@code attributes}. */
    static void insertText(Transaction tr, AbstractType parent, TextPosition currPos, Object text, Map<String, Object> attributes) {
        if (text instanceof AbstractType) {
            TypeOps.requireNestable(parent); // before the format marks go in
        }
        JsObject attrs = new JsObject(attributes);
        for (String key : currPos.currentAttributes.keySet()) {
            if (!attrs.containsKey(key) || attrs.get(key) == dev.quire.yjs.lib0.Undefined.UNDEFINED) {
                attrs.put(key, null);
            }
        }
        minimizeAttributeChanges(currPos, attrs);
        Map<String, Object> negated = insertAttributes(tr, parent, currPos, attrs);
        Content content;
        AbstractType type = null;
        if (text instanceof String s) {
            content = new ContentString(s);
        } else if (text instanceof AbstractType t) {
            type = t;
            content = t.toContent();
        } else {
            content = new ContentEmbed(text);
        }
        if (parent.searchMarker != null) {
            SearchMarker.updateChanges(parent.searchMarker, currPos.index, content.length());
        }
        long index = currPos.index;
        Item right = newItem(tr, parent, currPos.left, currPos.right, content, type);
        currPos.right = right;
        currPos.index = index;
        currPos.forward();
        insertNegatedAttributes(tr, parent, currPos, negated);
    }

    static void formatText(Transaction tr, AbstractType parent, TextPosition currPos, long length, Map<String, Object> attributes) {
        minimizeAttributeChanges(currPos, attributes);
        Map<String, Object> negated = insertAttributes(tr, parent, currPos, attributes);
        iteration:
        while (currPos.right != null
                && (length > 0 || (!negated.isEmpty() && (currPos.right.deleted() || currPos.right.content instanceof ContentFormat)))) {
            if (!currPos.right.deleted()) {
                if (currPos.right.content instanceof ContentFormat f) {
                    String key = f.key();
                    if (attributes.containsKey(key) && attributes.get(key) != dev.quire.yjs.lib0.Undefined.UNDEFINED) {
                        Object attr = attributes.get(key);
                        if (JsValues.equalAttrs(attr, f.value())) {
                            negated.remove(key);
                        } else {
                            if (length == 0) {
                                break iteration;
                            }
                            negated.put(key, f.value());
                        }
                        currPos.right.delete(tr);
                    } else {
                        currPos.currentAttributes.put(key, f.value());
                    }
                } else {
                    if (length < currPos.right.length) {
                        tr.doc.store.getItemCleanStart(tr, new ID(currPos.right.client, currPos.right.clock + length));
                    }
                    length -= currPos.right.length;
                }
            }
            currPos.forward();
        }
        if (length > 0) {
            // formatting beyond the end appends newlines, as yjs does
            currPos.right = newItem(tr, parent, currPos.left, currPos.right, new ContentString("\n".repeat((int) length)), null);
            currPos.forward();
        }
        insertNegatedAttributes(tr, parent, currPos, negated);
    }

    static int cleanupFormattingGap(Transaction tr, Item start, Item curr, Map<String, Object> startAttributes,
                                    Map<String, Object> currAttributes) {
        Item end = start;
        Map<String, ContentFormat> endFormats = new LinkedHashMap<>();
        while (end != null && (!end.countable() || end.deleted())) {
            if (!end.deleted() && end.content instanceof ContentFormat cf) {
                endFormats.put(cf.key(), cf);
            }
            end = end.right;
        }
        int cleanups = 0;
        boolean reachedCurr = false;
        while (start != end) {
            if (curr == start) {
                reachedCurr = true;
            }
            if (!start.deleted() && start.content instanceof ContentFormat content) {
                String key = content.key();
                Object value = content.value();
                Object startAttrValue = getOrNull(startAttributes, key);
                if (endFormats.get(key) != content || JsValues.strictEquals(startAttrValue, value)) {
                    start.delete(tr);
                    cleanups++;
                    if (!reachedCurr && JsValues.strictEquals(getOrNull(currAttributes, key), value)
                            && !JsValues.strictEquals(startAttrValue, value)) {
                        if (startAttrValue == null) {
                            currAttributes.remove(key);
                        } else {
                            currAttributes.put(key, startAttrValue);
                        }
                    }
                }
                if (!reachedCurr && !start.deleted()) {
                    TextPosition.updateCurrentAttributes(currAttributes, content);
                }
            }
            start = start.right;
        }
        return cleanups;
    }

    static void cleanupContextlessFormattingGap(Transaction tr, Item item) {
        while (item != null && item.right != null && (item.right.deleted() || !item.right.countable())) {
            item = item.right;
        }
        Set<String> attrs = new java.util.HashSet<>();
        while (item != null && (item.deleted() || !item.countable())) {
            if (!item.deleted() && item.content instanceof ContentFormat f) {
                if (attrs.contains(f.key())) {
                    item.delete(tr);
                } else {
                    attrs.add(f.key());
                }
            }
            item = item.left;
        }
    }

    static int cleanupYTextFormatting(AbstractType type) {
        int[] res = {0};
        type.doc.transact(tr -> {
            Item start = type.start;
            Item end = type.start;
            Map<String, Object> startAttributes = new LinkedHashMap<>();
            Map<String, Object> currentAttributes = new LinkedHashMap<>(startAttributes);
            while (end != null) {
                if (!end.deleted()) {
                    if (end.content instanceof ContentFormat f) {
                        TextPosition.updateCurrentAttributes(currentAttributes, f);
                    } else {
                        res[0] += cleanupFormattingGap(tr, start, end, startAttributes, currentAttributes);
                        startAttributes = new LinkedHashMap<>(currentAttributes);
                        start = end;
                    }
                }
                end = end.right;
            }
        });
        return res[0];
    }

    /** After a remote transaction touched formatted texts: delete format marks that became redundant. */
    static void cleanupYTextAfterTransaction(Transaction transaction) {
        Set<AbstractType> needFullCleanup = new LinkedHashSet<>();
        YDoc doc = transaction.doc;
        for (Map.Entry<Long, Long> e : transaction.afterState.entrySet()) {
            long client = e.getKey();
            long afterClock = e.getValue();
            long clock = transaction.beforeState.getOrDefault(client, 0L);
            if (afterClock == clock) {
                continue;
            }
            // yjs passes afterClock as the length here; the walk ends at the last struct anyway
            doc.store.iterateStructs(transaction, doc.store.clients.get(client), clock, afterClock, s -> {
                if (s instanceof Item item && !item.deleted() && item.content instanceof ContentFormat) {
                    needFullCleanup.add((AbstractType) item.parent);
                }
            });
        }
        doc.transact(t -> {
            Cleanup.iterateDeletedStructs(transaction, transaction.deleteSet, s -> {
                if (!(s instanceof Item item)) {
                    return;
                }
                AbstractType parent = (AbstractType) item.parent;
                if (parent == null || !parent.hasFormatting || needFullCleanup.contains(parent)) {
                    return;
                }
                if (item.content instanceof ContentFormat) {
                    needFullCleanup.add(parent);
                } else {
                    cleanupContextlessFormattingGap(t, item);
                }
            });
            for (AbstractType yText : needFullCleanup) {
                cleanupYTextFormatting(yText);
            }
        });
    }

    static TextPosition deleteText(Transaction tr, TextPosition currPos, long length) {
        long startLength = length;
        Map<String, Object> startAttrs = new LinkedHashMap<>(currPos.currentAttributes);
        Item start = currPos.right;
        while (length > 0 && currPos.right != null) {
            if (!currPos.right.deleted()) {
                Content c = currPos.right.content;
                if (c instanceof ContentType || c instanceof ContentEmbed || c instanceof ContentString) {
                    if (length < currPos.right.length) {
                        tr.doc.store.getItemCleanStart(tr, new ID(currPos.right.client, currPos.right.clock + length));
                    }
                    length -= currPos.right.length;
                    currPos.right.delete(tr);
                }
            }
            currPos.forward();
        }
        if (start != null) {
            cleanupFormattingGap(tr, start, currPos.right, startAttrs, currPos.currentAttributes);
        }
        Item any = currPos.left != null ? currPos.left : currPos.right;
        AbstractType parent = any == null ? null : (AbstractType) any.parent;
        if (parent != null && parent.searchMarker != null) {
            SearchMarker.updateChanges(parent.searchMarker, currPos.index, -startLength + length);
        }
        return currPos;
    }
}
