package dev.quire.yjs.model;

import dev.quire.yjs.codec.Content;
import dev.quire.yjs.codec.ContentAny;
import dev.quire.yjs.codec.ContentDeleted;
import dev.quire.yjs.codec.ContentFormat;
import dev.quire.yjs.codec.ContentJSON;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.codec.UpdateEncoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * An integrated item of a document: content plus its place in a type's doubly linked list (left/right),
 * the neighbours it was inserted between (origin/rightOrigin) and its parent type. Port of yjs
 * {@code structs/Item.js}; the integration (YATA) follows yjs exactly, since encoded bytes depend on it.
 */
public final class Item extends AbstractStruct {
    private static final int KEEP = 1;
    private static final int COUNTABLE = 2;
    private static final int DELETED = 4;
    private static final int MARKER = 8;

    ID origin;
    ID rightOrigin;
    Item left;
    Item right;
    /** While decoding: an {@link AbstractType}, an {@link ID} or null; once integrated, the parent type (or null for GC'd parents). */
    Object parent;
    String parentSub;
    Content content;
    /** The live type of a {@link ContentType} item. */
    AbstractType type;
    private int info;

    Item(long client, long clock, Item left, ID origin, Item right, ID rightOrigin, Object parent, String parentSub,
         Content content, AbstractType type) {
        super(client, clock, content.length());
        this.left = left;
        this.origin = origin;
        this.right = right;
        this.rightOrigin = rightOrigin;
        this.parent = parent;
        this.parentSub = parentSub;
        this.content = content;
        this.type = type;
        this.info = content.countable() ? COUNTABLE : 0;
    }

    public Content content() {
        return content;
    }

    /** The nested type this item holds, or null. */
    public AbstractType type() {
        return type;
    }

    AbstractType parentType() {
        return (AbstractType) parent;
    }

    boolean marker() {
        return (info & MARKER) != 0;
    }

    void marker(boolean m) {
        info = m ? info | MARKER : info & ~MARKER;
    }

    boolean keep() {
        return (info & KEEP) != 0;
    }

    void keep(boolean k) {
        info = k ? info | KEEP : info & ~KEEP;
    }

    public boolean countable() {
        return (info & COUNTABLE) != 0;
    }

    @Override
    public boolean deleted() {
        return (info & DELETED) != 0;
    }

    void markDeleted() {
        info |= DELETED;
    }

    ID lastId() {
        return length == 1 ? new ID(client, clock) : new ID(client, clock + length - 1);
    }

    /** The next undeleted item to the right. */
    Item next() {
        Item n = right;
        while (n != null && n.deleted()) {
            n = n.right;
        }
        return n;
    }

    /** The previous undeleted item to the left. */
    Item prev() {
        Item n = left;
        while (n != null && n.deleted()) {
            n = n.left;
        }
        return n;
    }

    /** The elements of the content as yjs's {@code getContent()} returns them. */
    List<Object> contents() {
        Content c = content;
        if (c instanceof ContentString s) {
            String text = s.str();
            List<Object> out = new ArrayList<>(text.length());
            for (int i = 0; i < text.length(); i++) {
                out.add(String.valueOf(text.charAt(i)));
            }
            return out;
        }
        if (c instanceof ContentAny a) {
            return a.arr();
        }
        if (c instanceof ContentJSON j) {
            return j.arr();
        }
        if (c instanceof ContentType) {
            return List.of(type);
        }
        if (c instanceof dev.quire.yjs.codec.ContentBinary b) {
            return List.of((Object) b.content());
        }
        if (c instanceof dev.quire.yjs.codec.ContentEmbed e) {
            return java.util.Collections.singletonList(e.embed());
        }
        if (c instanceof dev.quire.yjs.codec.ContentDoc d) {
            return List.of(d);
        }
        return List.of(); // Deleted, Format
    }

    /** The last element of the content (a map entry's value). */
    Object lastContent() {
        List<Object> c = contents();
        return c.isEmpty() ? dev.quire.yjs.lib0.Undefined.UNDEFINED : c.get(c.size() - 1);
    }

    @Override
    long getMissing(Transaction transaction, StructStore store) {
        if (origin != null && origin.client() != client && origin.clock() >= store.getState(origin.client())) {
            return origin.client();
        }
        if (rightOrigin != null && rightOrigin.client() != client && rightOrigin.clock() >= store.getState(rightOrigin.client())) {
            return rightOrigin.client();
        }
        if (parent instanceof ID pid && client != pid.client() && pid.clock() >= store.getState(pid.client())) {
            return pid.client();
        }
        AbstractStruct leftStruct = null;
        AbstractStruct rightStruct = null;
        if (origin != null) {
            leftStruct = store.getItemCleanEndStruct(transaction, origin);
            left = leftStruct instanceof Item li ? li : null;
            origin = new ID(leftStruct.client, leftStruct.clock + leftStruct.length - 1);
        }
        if (rightOrigin != null) {
            rightStruct = store.getItemCleanStartStruct(transaction, rightOrigin);
            right = rightStruct instanceof Item ri ? ri : null;
            rightOrigin = rightStruct.id();
        }
        // a neighbour that was garbage-collected means the parent is gone too: yjs integrates a GC
        if (leftStruct instanceof GC || rightStruct instanceof GC) {
            parent = null;
        } else if (parent == null) {
            if (left != null) {
                parent = left.parent;
                parentSub = left.parentSub;
            } else if (right != null) {
                parent = right.parent;
                parentSub = right.parentSub;
            }
        } else if (parent instanceof ID pid) {
            AbstractStruct parentItem = store.find(pid);
            if (parentItem instanceof GC) {
                parent = null;
            } else {
                parent = ((Item) parentItem).type;
            }
        }
        return -1;
    }

    @Override
    void integrate(Transaction transaction, long offset) {
        StructStore store = transaction.doc.store;
        if (offset > 0) {
            clock += offset;
            AbstractStruct l = store.getItemCleanEndStruct(transaction, new ID(client, clock - 1));
            left = l instanceof Item li ? li : null;
            origin = new ID(l.client, l.clock + l.length - 1);
            content = content.right(offset);
            length -= offset;
        }
        if (parent != null) {
            AbstractType p = (AbstractType) parent;
            if ((left == null && (right == null || right.left != null)) || (left != null && left.right != right)) {
                Item l = left;
                Item o;
                if (l != null) {
                    o = l.right;
                } else if (parentSub != null) {
                    o = p.map.get(parentSub);
                    while (o != null && o.left != null) {
                        o = o.left;
                    }
                } else {
                    o = p.start;
                }
                java.util.Set<Item> conflictingItems = new java.util.HashSet<>();
                java.util.Set<Item> itemsBeforeOrigin = new java.util.HashSet<>();
                while (o != null && o != right) {
                    itemsBeforeOrigin.add(o);
                    conflictingItems.add(o);
                    if (java.util.Objects.equals(origin, o.origin)) {
                        if (o.client < client) {
                            l = o;
                            conflictingItems.clear();
                        } else if (java.util.Objects.equals(rightOrigin, o.rightOrigin)) {
                            break;
                        }
                    } else if (o.origin != null && itemsBeforeOrigin.contains(store.find(o.origin))) {
                        if (!conflictingItems.contains(store.find(o.origin))) {
                            l = o;
                            conflictingItems.clear();
                        }
                    } else {
                        break;
                    }
                    o = o.right;
                }
                left = l;
            }
            if (left != null) {
                right = left.right;
                left.right = this;
            } else {
                Item r;
                if (parentSub != null) {
                    r = p.map.get(parentSub);
                    while (r != null && r.left != null) {
                        r = r.left;
                    }
                } else {
                    r = p.start;
                    p.start = this;
                }
                right = r;
            }
            if (right != null) {
                right.left = this;
            } else if (parentSub != null) {
                p.map.put(parentSub, this);
                if (left != null) {
                    left.delete(transaction); // the previous value of the key
                }
            }
            if (parentSub == null && countable() && !deleted()) {
                p.length += length;
            }
            store.addStruct(this);
            integrateContent(transaction);
            transaction.addChangedType(p, parentSub);
            if ((p.item != null && p.item.deleted()) || (parentSub != null && right != null)) {
                delete(transaction);
            }
        } else {
            new GC(client, clock, length).integrate(transaction, 0);
        }
    }

    private void integrateContent(Transaction transaction) {
        if (content instanceof ContentDeleted) {
            transaction.deleteSet.add(client, clock, length);
            markDeleted();
        } else if (content instanceof ContentType) {
            type.integrate(transaction.doc, this);
        } else if (content instanceof ContentFormat) {
            AbstractType p = (AbstractType) parent;
            p.searchMarker = null;
            p.hasFormatting = true;
        }
    }

    /** yjs {@code Item.mergeWith}: appends {@code right} to this item when both are one run. */
    @Override
    boolean mergeWith(AbstractStruct r) {
        if (!(r instanceof Item rightItem)) {
            return false;
        }
        if (java.util.Objects.equals(rightItem.origin, lastId())
                && this.right == rightItem
                && java.util.Objects.equals(rightOrigin, rightItem.rightOrigin)
                && client == rightItem.client
                && clock + length == rightItem.clock
                && deleted() == rightItem.deleted()
                && content.getClass() == rightItem.content.getClass()) {
            Content merged = Contents.merge(content, rightItem.content);
            if (merged == null) {
                return false;
            }
            content = merged;
            AbstractType p = (AbstractType) parent;
            if (p.searchMarker != null) {
                for (SearchMarker m : p.searchMarker) {
                    if (m.p == rightItem) {
                        m.p = this;
                        if (!deleted() && countable()) {
                            m.index -= length;
                        }
                    }
                }
            }
            if (rightItem.keep()) {
                keep(true);
            }
            this.right = rightItem.right;
            if (this.right != null) {
                this.right.left = this;
            }
            length += rightItem.length;
            return true;
        }
        return false;
    }

    void delete(Transaction transaction) {
        if (!deleted()) {
            deleteOne(transaction);
            if (content instanceof ContentType) {
                AbstractType.deleteChildren(transaction, type);
            }
        }
    }

    /** Marks this item deleted, leaving its nested type's children to {@link AbstractType#deleteChildren}. */
    void deleteOne(Transaction transaction) {
        AbstractType p = (AbstractType) parent;
        if (countable() && parentSub == null) {
            p.length -= length;
        }
        markDeleted();
        transaction.deleteSet.add(client, clock, length);
        transaction.addChangedType(p, parentSub);
    }

    /**
     * Replaces deleted content: by ContentDeleted, or by a GC struct when the parent is collected too. A collected
     * type's children, and theirs, are collected with it, from a work list: a call per level of nesting overflows the
     * stack on deep documents. The order does not matter, each item replaces only its own struct.
     */
    void gc(StructStore store, boolean parentGCd) {
        ArrayDeque<Item> children = new ArrayDeque<>();
        gcOne(store, parentGCd, children);
        while (!children.isEmpty()) {
            children.pop().gcOne(store, true, children);
        }
    }

    private void gcOne(StructStore store, boolean parentGCd, ArrayDeque<Item> children) {
        if (!deleted()) {
            throw new IllegalStateException("gc of an undeleted item");
        }
        if (content instanceof ContentType) {
            type.takeChildren(children); // yjs ContentType.gc
        }
        if (parentGCd) {
            store.replaceStruct(this, new GC(client, clock, length));
        } else {
            content = new ContentDeleted(length);
            type = null; // a collected type is gone: items that name it as parent become GC
        }
    }

    @Override
    void write(UpdateEncoder encoder, long offset) {
        ID o = offset > 0 ? new ID(client, clock + offset - 1) : origin;
        int infoByte = (content.ref() & dev.quire.yjs.codec.Item.CONTENT_REF_MASK)
                | (o == null ? 0 : dev.quire.yjs.codec.Item.HAS_ORIGIN)
                | (rightOrigin == null ? 0 : dev.quire.yjs.codec.Item.HAS_RIGHT_ORIGIN)
                | (parentSub == null ? 0 : dev.quire.yjs.codec.Item.HAS_PARENT_SUB);
        encoder.writeInfo(infoByte);
        if (o != null) {
            encoder.writeLeftId(o.client(), o.clock());
        }
        if (rightOrigin != null) {
            encoder.writeRightId(rightOrigin.client(), rightOrigin.clock());
        }
        if (o == null && rightOrigin == null) {
            if (parent instanceof AbstractType p) {
                if (p.item == null) {
                    encoder.writeParentInfo(true);
                    encoder.writeString(p.rootName());
                } else {
                    encoder.writeParentInfo(false);
                    encoder.writeLeftId(p.item.client, p.item.clock);
                }
            } else if (parent instanceof String name) {
                encoder.writeParentInfo(true);
                encoder.writeString(name);
            } else if (parent instanceof ID pid) {
                encoder.writeParentInfo(false);
                encoder.writeLeftId(pid.client(), pid.clock());
            } else {
                throw new IllegalStateException("item " + id() + " has no parent to write");
            }
            if (parentSub != null) {
                encoder.writeString(parentSub);
            }
        }
        content.write(encoder, offset);
    }

    /** yjs {@code splitItem}: cuts this item at {@code diff}, returns the right part (already linked). */
    Item split(Transaction transaction, long diff) {
        Item rightItem = new Item(client, clock + diff, this, new ID(client, clock + diff - 1), right, rightOrigin,
                parent, parentSub, content.right(diff), null);
        if (deleted()) {
            rightItem.markDeleted();
        }
        if (keep()) {
            rightItem.keep(true);
        }
        content = content.left(diff);
        right = rightItem;
        if (rightItem.right != null) {
            rightItem.right.left = rightItem;
        }
        transaction.mergeStructs.add(rightItem);
        if (rightItem.parentSub != null && rightItem.right == null) {
            ((AbstractType) rightItem.parent).map.put(rightItem.parentSub, rightItem);
        }
        length = diff;
        return rightItem;
    }

    @Override
    public String toString() {
        return "Item(" + client + ":" + clock + ", " + content + (deleted() ? ", deleted" : "") + ")";
    }
}
