package dev.quire.yjs.model;

import dev.quire.yjs.codec.ContentType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shared type: a list of items ({@code start}, linked through left/right) and a map of items by key
 * (each key's current value is the rightmost item). A root that was only seen in updates and never
 * asked for by kind stays a plain {@code AbstractType} until {@link YDoc#getText} etc. converts it,
 * as in yjs. Port of yjs {@code types/AbstractType.js}.
 */
public class AbstractType {
    /** The item holding this type, or null for a root type. */
    Item item;
    final Map<String, Item> map = new LinkedHashMap<>();
    Item start;
    YDoc doc;
    /** Countable, undeleted length of the list part. */
    long length;
    List<SearchMarker> searchMarker;
    boolean hasFormatting;
    String rootName;
    /** How many types this one is nested in: 0 for a root (see {@link YDoc#MAX_NESTING_DEPTH}). */
    int depth;

    AbstractType() {
    }

    /** The type ref written for this type (see {@link ContentType}); -1 for an untyped root. */
    int typeRef() {
        return -1;
    }

    /** The node name (XML element) or hook name (XML hook) written with the type ref. */
    String typeKey() {
        return null;
    }

    /** A new, empty type of the same kind (yjs {@code _copy}). */
    AbstractType copyEmpty() {
        return new AbstractType();
    }

    /** Creates the type a {@link ContentType} describes. */
    static AbstractType fromContent(ContentType ct) {
        return switch (ct.typeRef()) {
            case ContentType.Y_ARRAY -> new YArray();
            case ContentType.Y_MAP -> new YMap();
            case ContentType.Y_TEXT -> new YText();
            case ContentType.Y_XML_ELEMENT -> new YXmlElement(ct.name());
            case ContentType.Y_XML_FRAGMENT -> new YXmlFragment();
            case ContentType.Y_XML_HOOK -> new YXmlHook(ct.name());
            case ContentType.Y_XML_TEXT -> new YXmlText();
            default -> throw new IllegalArgumentException("unknown type ref " + ct.typeRef());
        };
    }

    ContentType toContent() {
        return new ContentType(typeRef(), typeKey());
    }

    /** The document, for a local edit; a type not yet inserted into a document cannot be edited. */
    YDoc requireDoc() {
        if (doc == null) {
            throw new IllegalStateException("add the type to a document before editing it");
        }
        return doc;
    }

    void integrate(YDoc doc, Item item) {
        this.doc = doc;
        this.item = item;
        this.depth = item == null ? 0 : ((AbstractType) item.parent).depth + 1;
    }

    String rootName() {
        return rootName;
    }

    /** The parent type, or null for a root. */
    public AbstractType parent() {
        return item == null ? null : (AbstractType) item.parent;
    }

    /** Called once per transaction that changed this type (yjs {@code _callObserver}). */
    void callObserver(Transaction transaction, java.util.Set<String> parentSubs) {
        if (!transaction.local && searchMarker != null) {
            searchMarker.clear();
        }
    }

    /**
     * yjs {@code ContentType.delete}: deletes every child of {@code top} when its item is deleted, and theirs in turn.
     * The walk keeps yjs's order (the list, then the map's values; a child's own children before its next sibling)
     * because the merge list and the changed types depend on it, but holds the types being walked in a stack of its
     * own: a call per level of nesting overflows the thread's stack on deep documents.
     */
    static void deleteChildren(Transaction transaction, AbstractType top) {
        ArrayDeque<ChildWalk> walks = new ArrayDeque<>();
        walks.push(new ChildWalk(top));
        while (!walks.isEmpty()) {
            ChildWalk walk = walks.peek();
            Item it = walk.next();
            if (it == null) {
                transaction.changed.remove(walk.type);
                walks.pop();
            } else if (!it.deleted()) {
                it.deleteOne(transaction);
                if (it.content instanceof ContentType) {
                    walks.push(new ChildWalk(it.type));
                }
            } else if (it.clock < transaction.beforeState.getOrDefault(it.client, 0L)) {
                transaction.mergeStructs.add(it);
            }
        }
    }

    /** The children of a type as yjs's {@code ContentType.delete} visits them: the list part, then each key's value. */
    private static final class ChildWalk {
        final AbstractType type;
        private Item listItem;
        private boolean listStarted;
        private Iterator<Item> values;

        ChildWalk(AbstractType type) {
            this.type = type;
        }

        /** The next child, or null; a list item's right neighbour is read only once its own children are done. */
        Item next() {
            if (values == null) {
                listItem = listStarted ? listItem.right : type.start;
                listStarted = true;
                if (listItem != null) {
                    return listItem;
                }
                values = type.map.values().iterator();
            }
            return values.hasNext() ? values.next() : null;
        }
    }

    /** yjs {@code ContentType.gc}: hands every child to {@code out}, to become GC structs, and forgets them. */
    void takeChildren(Deque<Item> out) {
        for (Item it = start; it != null; it = it.right) {
            out.push(it);
        }
        start = null;
        for (Item v : map.values()) {
            for (Item x = v; x != null; x = x.left) {
                out.push(x);
            }
        }
        map.clear();
    }

    /** The JSON of this type, as yjs's {@code toJSON()}; an untyped root has none. */
    public Object toJSON() {
        return dev.quire.yjs.lib0.Undefined.UNDEFINED;
    }

    /** JavaScript's {@code String(type)}: types without a {@code toString} print {@code [object Object]}. */
    @Override
    public String toString() {
        return "[object Object]";
    }

    /**
     * This type's string inside an XML string, as strings and the nested types to render in their place (see
     * {@link Render#string}); a type whose string holds no other type's gives its {@link #toString()}.
     */
    void stringParts(List<Object> parts) {
        parts.add(toString());
    }

    // ---- list content (yjs typeList*) --------------------------------------------------------

    /** The countable, undeleted contents in order (yjs {@code typeListToArray}). */
    List<Object> listToArray() {
        List<Object> cs = new ArrayList<>();
        for (Item n = start; n != null; n = n.right) {
            if (n.countable() && !n.deleted()) {
                cs.addAll(n.contents());
            }
        }
        return cs;
    }

    Object listGet(long index) {
        SearchMarker marker = SearchMarker.find(this, index);
        Item n = start;
        if (marker != null) {
            n = marker.p;
            index -= marker.index;
        }
        for (; n != null; n = n.right) {
            if (!n.deleted() && n.countable()) {
                if (index < n.length) {
                    return n.contents().get((int) index);
                }
                index -= n.length;
            }
        }
        return dev.quire.yjs.lib0.Undefined.UNDEFINED;
    }

    // ---- map content (yjs typeMap*) ----------------------------------------------------------

    Object mapGet(String key) {
        Item val = map.get(key);
        return val != null && !val.deleted() ? val.lastContent() : dev.quire.yjs.lib0.Undefined.UNDEFINED;
    }

    /** Undeleted entries in insertion order of their keys (yjs {@code typeMapGetAll}). */
    Map<String, Object> mapGetAll() {
        Map<String, Object> res = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!v.deleted()) {
                res.put(k, v.lastContent());
            }
        });
        return res;
    }
}
