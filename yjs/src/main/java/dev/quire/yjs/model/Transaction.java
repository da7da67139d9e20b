package dev.quire.yjs.model;

import dev.quire.yjs.codec.DeleteSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A change to a document: the state before, the deletes it made and the types it touched. Created by
 * {@link YDoc#transact}; at its end the document garbage-collects and merges structs, then emits the
 * update. Port of the state kept by yjs {@code utils/Transaction.js}.
 */
public final class Transaction {
    final YDoc doc;
    final DeleteSet deleteSet = new DeleteSet();
    final Map<Long, Long> beforeState;
    Map<Long, Long> afterState = new LinkedHashMap<>();
    /** Types changed by this transaction, with the changed keys (null = list content). */
    final Map<AbstractType, Set<String>> changed = new LinkedHashMap<>();
    final List<Item> mergeStructs = new ArrayList<>();
    final Object origin;
    boolean local;
    boolean needFormattingCleanup;

    Transaction(YDoc doc, Object origin, boolean local) {
        this.doc = doc;
        this.beforeState = doc.store.getStateVector();
        this.origin = origin;
        this.local = local;
    }

    /** Whether the change was made locally (an edit) rather than by applying a remote update. */
    public boolean local() {
        return local;
    }

    public Object origin() {
        return origin;
    }

    void addChangedType(AbstractType type, String parentSub) {
        Item item = type.item;
        if (item == null || (item.clock < beforeState.getOrDefault(item.client, 0L) && !item.deleted())) {
            changed.computeIfAbsent(type, t -> new HashSet<>()).add(parentSub);
        }
    }

    /** The next id this document's client writes. */
    long nextClock() {
        return doc.store.getState(doc.clientId);
    }
}
