package dev.quire.yjs.model;

import dev.quire.yjs.codec.Content;
import dev.quire.yjs.codec.ContentAny;
import dev.quire.yjs.codec.ContentBinary;
import dev.quire.yjs.codec.ContentDoc;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.lib0.Undefined;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Local edits of list and map content: yjs's {@code typeListInsertGenerics}, {@code typeListDelete}, {@code typeMapSet}. */
final class TypeOps {
    private TypeOps() {
    }

    /** Creates and integrates a local item between {@code left} and {@code right}. */
    static Item insertItem(Transaction tr, AbstractType parent, Item left, Item right, String parentSub, Content content,
                           AbstractType type) {
        YDoc doc = tr.doc;
        Item item = new Item(doc.clientId, doc.store.getState(doc.clientId), left, left == null ? null : left.lastId(),
                right, right == null ? null : right.id(), parent, parentSub, content, type);
        item.integrate(tr, 0);
        return item;
    }

    private static boolean isJson(Object c) {
        return c == null || c instanceof Number || c instanceof Boolean || c instanceof String || c instanceof Map
                || c instanceof List;
    }

    static void insertGenericsAfter(Transaction tr, AbstractType parent, Item referenceItem, List<?> content) {
        if (content.stream().anyMatch(c -> c instanceof AbstractType)) {
            requireNestable(parent); // before the first item goes in
        }
        Item left = referenceItem;
        Item right = referenceItem == null ? parent.start : referenceItem.right;
        List<Object> json = new ArrayList<>();
        for (Object c : content) {
            if (c instanceof BigInteger || c == Undefined.UNDEFINED) {
                // yjs throws for these at the top level of a list insert
                throw new IllegalArgumentException("Unexpected content type in insert operation: " + c);
            }
            if (isJson(c)) {
                json.add(c);
                continue;
            }
            if (!json.isEmpty()) {
                left = insertItem(tr, parent, left, right, null, new ContentAny(json), null);
                json = new ArrayList<>();
            }
            if (c instanceof byte[] bytes) {
                left = insertItem(tr, parent, left, right, null, new ContentBinary(bytes.clone()), null);
            } else if (c instanceof ContentDoc d) {
                left = insertItem(tr, parent, left, right, null, d, null);
            } else if (c instanceof AbstractType t) {
                requireFresh(t);
                left = insertItem(tr, parent, left, right, null, t.toContent(), t);
            } else {
                throw new IllegalArgumentException("Unexpected content type in insert operation: " + c.getClass().getName());
            }
        }
        if (!json.isEmpty()) {
            insertItem(tr, parent, left, right, null, new ContentAny(json), null);
        }
    }

    /** A local insert must not nest a type deeper than an update may ({@link YDoc#MAX_NESTING_DEPTH}). */
    static void requireNestable(AbstractType parent) {
        if (parent.depth + 1 > YDoc.MAX_NESTING_DEPTH) {
            throw new IllegalArgumentException("a type inserted here would be nested " + (parent.depth + 1)
                    + " levels deep, more than YDoc.MAX_NESTING_DEPTH (" + YDoc.MAX_NESTING_DEPTH + ") allows");
        }
    }

    private static void requireFresh(AbstractType t) {
        if (t.doc != null) {
            throw new IllegalArgumentException("this type is already part of a document");
        }
    }

    static void insertGenerics(Transaction tr, AbstractType parent, long index, List<?> content) {
        if (index > parent.length) {
            throw new IndexOutOfBoundsException("Length exceeded!");
        }
        if (index == 0) {
            if (parent.searchMarker != null) {
                SearchMarker.updateChanges(parent.searchMarker, index, content.size());
            }
            insertGenericsAfter(tr, parent, null, content);
            return;
        }
        long startIndex = index;
        SearchMarker marker = SearchMarker.find(parent, index);
        Item n = parent.start;
        if (marker != null) {
            n = marker.p;
            index -= marker.index;
            if (index == 0) {
                n = n.prev(); // the left undeleted item, so that index can decrease
                index += (n != null && n.countable() && !n.deleted()) ? n.length : 0;
            }
        }
        for (; n != null; n = n.right) {
            if (!n.deleted() && n.countable()) {
                if (index <= n.length) {
                    if (index < n.length) {
                        tr.doc.store.getItemCleanStart(tr, new ID(n.client, n.clock + index));
                    }
                    break;
                }
                index -= n.length;
            }
        }
        if (parent.searchMarker != null) {
            SearchMarker.updateChanges(parent.searchMarker, startIndex, content.size());
        }
        insertGenericsAfter(tr, parent, n, content);
    }

    static void delete(Transaction tr, AbstractType parent, long index, long length) {
        if (length == 0) {
            return;
        }
        long startIndex = index;
        long startLength = length;
        SearchMarker marker = SearchMarker.find(parent, index);
        Item n = parent.start;
        if (marker != null) {
            n = marker.p;
            index -= marker.index;
        }
        for (; n != null && index > 0; n = n.right) {
            if (!n.deleted() && n.countable()) {
                if (index < n.length) {
                    tr.doc.store.getItemCleanStart(tr, new ID(n.client, n.clock + index));
                }
                index -= n.length;
            }
        }
        while (length > 0 && n != null) {
            if (!n.deleted()) {
                if (length < n.length) {
                    tr.doc.store.getItemCleanStart(tr, new ID(n.client, n.clock + length));
                }
                n.delete(tr);
                length -= n.length;
            }
            n = n.right;
        }
        if (length > 0) {
            throw new IndexOutOfBoundsException("Length exceeded!");
        }
        if (parent.searchMarker != null) {
            SearchMarker.updateChanges(parent.searchMarker, startIndex, -startLength + length);
        }
    }

    static void mapDelete(Transaction tr, AbstractType parent, String key) {
        Item c = parent.map.get(key);
        if (c != null) {
            c.delete(tr);
        }
    }

    static void mapSet(Transaction tr, AbstractType parent, String key, Object value) {
        Item left = parent.map.get(key);
        Content content;
        AbstractType type = null;
        if (value == null || value == Undefined.UNDEFINED || isJson(value) || value instanceof BigInteger) {
            content = new ContentAny(java.util.Collections.singletonList(value));
        } else if (value instanceof byte[] bytes) {
            content = new ContentBinary(bytes.clone());
        } else if (value instanceof ContentDoc d) {
            content = d;
        } else if (value instanceof AbstractType t) {
            requireFresh(t);
            requireNestable(parent);
            type = t;
            content = t.toContent();
        } else {
            throw new IllegalArgumentException("Unexpected content type: " + value.getClass().getName());
        }
        insertItem(tr, parent, left, null, key, content, type);
    }
}
