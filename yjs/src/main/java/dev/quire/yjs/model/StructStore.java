package dev.quire.yjs.model;

import dev.quire.yjs.codec.ID;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All structs of a document, per client, sorted by clock and contiguous; plus the updates that could
 * not be applied yet (pending structs and pending deletes, kept as v2 updates as yjs keeps them).
 * Port of yjs {@code utils/StructStore.js}.
 */
final class StructStore {
    final Map<Long, List<AbstractStruct>> clients = new LinkedHashMap<>();
    /** Structs waiting for missing dependencies: the lowest missing clock per client, and a v2 update. */
    PendingStructs pendingStructs;
    /** Deletes of structs not yet known, as a v2 update with no structs. */
    byte[] pendingDs;
    /** Applied updates that left structs or deletes of their own waiting (see {@link YDoc#updatesKeptPending}). */
    long keptPending;

    static final class PendingStructs {
        final Map<Long, Long> missing;
        byte[] update;

        PendingStructs(Map<Long, Long> missing, byte[] update) {
            this.missing = missing;
            this.update = update;
        }
    }

    /** Next expected clock per client (insertion order of clients). */
    Map<Long, Long> getStateVector() {
        Map<Long, Long> sm = new LinkedHashMap<>();
        clients.forEach((client, structs) -> {
            AbstractStruct last = structs.get(structs.size() - 1);
            sm.put(client, last.clock + last.length);
        });
        return sm;
    }

    long getState(long client) {
        List<AbstractStruct> structs = clients.get(client);
        if (structs == null) {
            return 0;
        }
        AbstractStruct last = structs.get(structs.size() - 1);
        return last.clock + last.length;
    }

    void addStruct(AbstractStruct struct) {
        List<AbstractStruct> structs = clients.get(struct.client);
        if (structs == null) {
            structs = new ArrayList<>();
            clients.put(struct.client, structs);
        } else {
            AbstractStruct last = structs.get(structs.size() - 1);
            if (last.clock + last.length != struct.clock) {
                throw new IllegalStateException("struct " + struct.id() + " does not follow " + last.id());
            }
        }
        structs.add(struct);
    }

    /** Index of the struct containing {@code clock} (yjs's pivoting binary search). */
    static int findIndexSS(List<AbstractStruct> structs, long clock) {
        int left = 0;
        int right = structs.size() - 1;
        AbstractStruct mid = structs.get(right);
        long midclock = mid.clock;
        if (midclock == clock) {
            return right;
        }
        int midindex = (int) Math.floor(((double) clock / (midclock + mid.length - 1)) * right);
        while (left <= right) {
            if (midindex < 0 || midindex >= structs.size()) {
                midindex = (left + right) >>> 1;
            }
            mid = structs.get(midindex);
            midclock = mid.clock;
            if (midclock <= clock) {
                if (clock < midclock + mid.length) {
                    return midindex;
                }
                left = midindex + 1;
            } else {
                right = midindex - 1;
            }
            midindex = (left + right) >>> 1;
        }
        throw new IllegalStateException("clock " + clock + " not found");
    }

    AbstractStruct find(ID id) {
        List<AbstractStruct> structs = clients.get(id.client());
        return structs.get(findIndexSS(structs, id.clock()));
    }

    int findIndexCleanStart(Transaction transaction, List<AbstractStruct> structs, long clock) {
        int index = findIndexSS(structs, clock);
        AbstractStruct struct = structs.get(index);
        if (struct.clock < clock && struct instanceof Item item) {
            structs.add(index + 1, item.split(transaction, clock - struct.clock));
            return index + 1;
        }
        return index;
    }

    /** The struct starting at {@code id}, splitting an item if needed (may be a GC). */
    AbstractStruct getItemCleanStartStruct(Transaction transaction, ID id) {
        List<AbstractStruct> structs = clients.get(id.client());
        return structs.get(findIndexCleanStart(transaction, structs, id.clock()));
    }

    Item getItemCleanStart(Transaction transaction, ID id) {
        return (Item) getItemCleanStartStruct(transaction, id);
    }

    /** The struct ending at {@code id}, splitting an item if needed (may be a GC). */
    AbstractStruct getItemCleanEndStruct(Transaction transaction, ID id) {
        List<AbstractStruct> structs = clients.get(id.client());
        int index = findIndexSS(structs, id.clock());
        AbstractStruct struct = structs.get(index);
        if (id.clock() != struct.clock + struct.length - 1 && struct instanceof Item item) {
            structs.add(index + 1, item.split(transaction, id.clock() - struct.clock + 1));
        }
        return struct;
    }

    void replaceStruct(AbstractStruct struct, AbstractStruct newStruct) {
        List<AbstractStruct> structs = clients.get(struct.client);
        structs.set(findIndexSS(structs, struct.clock), newStruct);
    }

    /** Calls {@code f} on every struct in {@code [clockStart, clockStart + len)}, splitting at both ends. */
    void iterateStructs(Transaction transaction, List<AbstractStruct> structs, long clockStart, long len,
                        java.util.function.Consumer<AbstractStruct> f) {
        if (len == 0) {
            return;
        }
        long clockEnd = clockStart + len;
        int index = findIndexCleanStart(transaction, structs, clockStart);
        AbstractStruct struct;
        do {
            struct = structs.get(index++);
            if (clockEnd < struct.clock + struct.length) {
                findIndexCleanStart(transaction, structs, clockEnd);
            }
            f.accept(struct);
        } while (index < structs.size() && structs.get(index).clock < clockEnd);
    }
}
