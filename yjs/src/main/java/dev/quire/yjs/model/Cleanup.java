package dev.quire.yjs.model;

import dev.quire.yjs.codec.DeleteSet;
import dev.quire.yjs.codec.DeleteSet.DeleteItem;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the end of a transaction does to the store: garbage-collect deleted items and merge
 * neighbouring structs into runs (yjs {@code tryGcDeleteSet}, {@code tryMergeDeleteSet},
 * {@code tryToMergeWithLefts}). The resulting struct layout is what gets encoded, so it follows yjs exactly.
 */
final class Cleanup {
    private Cleanup() {
    }

    static void iterateDeletedStructs(Transaction tr, DeleteSet ds, Consumer<AbstractStruct> f) {
        for (Map.Entry<Long, List<DeleteItem>> e : ds.clients().entrySet()) {
            List<AbstractStruct> structs = tr.doc.store.clients.get(e.getKey());
            if (structs == null) {
                continue;
            }
            AbstractStruct last = structs.get(structs.size() - 1);
            long clockState = last.clock + last.length;
            List<DeleteItem> deletes = e.getValue();
            for (int i = 0; i < deletes.size() && deletes.get(i).clock() < clockState; i++) {
                DeleteItem del = deletes.get(i);
                tr.doc.store.iterateStructs(tr, structs, del.clock(), del.len(), f);
            }
        }
    }

    /** Merges structs[pos] into its left neighbours while they merge; returns how many were merged. */
    static int tryToMergeWithLefts(List<AbstractStruct> structs, int pos) {
        AbstractStruct right = structs.get(pos);
        AbstractStruct left = structs.get(pos - 1);
        int i = pos;
        for (; i > 0; right = left, left = i - 2 >= 0 ? structs.get(i - 2) : null, i--) {
            if (left.deleted() == right.deleted() && left.getClass() == right.getClass()) {
                if (left.mergeWith(right)) {
                    if (right instanceof Item ri && ri.parentSub != null) {
                        AbstractType p = (AbstractType) ri.parent;
                        if (p.map.get(ri.parentSub) == ri) {
                            p.map.put(ri.parentSub, (Item) left);
                        }
                    }
                    continue;
                }
            }
            break;
        }
        int merged = pos - i;
        if (merged > 0) {
            structs.subList(pos + 1 - merged, pos + 1).clear();
        }
        return merged;
    }

    static void tryGcDeleteSet(DeleteSet ds, StructStore store) {
        for (Map.Entry<Long, List<DeleteItem>> e : ds.clients().entrySet()) {
            List<AbstractStruct> structs = store.clients.get(e.getKey());
            List<DeleteItem> deleteItems = e.getValue();
            for (int di = deleteItems.size() - 1; di >= 0; di--) {
                DeleteItem deleteItem = deleteItems.get(di);
                long endDeleteItemClock = deleteItem.clock() + deleteItem.len();
                for (int si = StructStore.findIndexSS(structs, deleteItem.clock());
                     si < structs.size() && structs.get(si).clock < endDeleteItemClock; si++) {
                    AbstractStruct struct = structs.get(si);
                    if (deleteItem.clock() + deleteItem.len() <= struct.clock) {
                        break;
                    }
                    if (struct instanceof Item item && item.deleted() && !item.keep()) {
                        item.gc(store, false);
                    }
                }
            }
        }
    }

    static void tryMergeDeleteSet(DeleteSet ds, StructStore store) {
        for (Map.Entry<Long, List<DeleteItem>> e : ds.clients().entrySet()) {
            List<AbstractStruct> structs = store.clients.get(e.getKey());
            List<DeleteItem> deleteItems = e.getValue();
            for (int di = deleteItems.size() - 1; di >= 0; di--) {
                DeleteItem deleteItem = deleteItems.get(di);
                int mostRightIndexToCheck = Math.min(structs.size() - 1,
                        1 + StructStore.findIndexSS(structs, deleteItem.clock() + deleteItem.len() - 1));
                for (int si = mostRightIndexToCheck; si > 0 && structs.get(si).clock >= deleteItem.clock(); ) {
                    si -= 1 + tryToMergeWithLefts(structs, si);
                }
            }
        }
    }
}
