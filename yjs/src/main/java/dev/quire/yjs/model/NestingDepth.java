package dev.quire.yjs.model;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.codec.ContentType;
import dev.quire.yjs.codec.ID;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule of {@link YDoc#MAX_NESTING_DEPTH}, decided on decoded structs before any of them is integrated, so that a
 * refused update leaves the document as it was.
 *
 * <p>A struct's parent is the type of the item it names (its depth is known when that item is in the store, and
 * computed when the item is among the structs being checked), or a root; a struct that names no parent takes its
 * left origin's parent, else its right origin's, as yjs does, and becomes GC when either is GC. Where a struct it
 * depends on is unknown yet, the struct will wait as pending, and its depth counts from the least the missing part
 * can add: one level for a missing parent (the type of an item), none for a missing neighbour (which may sit in a
 * root). So a chain deeper than the limit is refused even before its top arrives, and the update that brings the top
 * of a shallower one is refused if the two together are too deep. The walk up a chain keeps its own stack, as the
 * chains it exists for are thousands of levels long.
 */
final class NestingDepth {
    /** The struct makes no type to nest in: it will be GC, or what it names as parent is no type. */
    private static final int NONE = -1;
    /** On the walk's stack: a struct met again before its depth is known is part of a cycle, which never integrates. */
    private static final int WALKING = -2;

    private final StructStore store;
    /** The structs being checked, per client: each list sorted by clock and contiguous, as decoded. */
    private final Map<Long, List<List<AbstractStruct>>> byClient = new HashMap<>();
    /** The depth of the type each item would be inserted into ({@link #NONE} for none). */
    private final Map<Item, Integer> containerDepths = new IdentityHashMap<>();

    private NestingDepth(StructStore store, List<List<AbstractStruct>> structs) {
        this.store = store;
        for (List<AbstractStruct> list : structs) {
            if (!list.isEmpty()) {
                byClient.computeIfAbsent(list.get(0).client, c -> new ArrayList<>(1)).add(list);
            }
        }
    }

    /**
     * Throws if a type among {@code structs} (an update's, and pending ones it may let in) would be nested deeper
     * than {@link YDoc#MAX_NESTING_DEPTH}; {@code offsets} says where the update's types were read.
     */
    static void check(StructStore store, List<List<AbstractStruct>> structs, Map<AbstractStruct, Long> offsets) {
        NestingDepth depths = null;
        for (List<AbstractStruct> list : structs) {
            for (AbstractStruct s : list) {
                if (s instanceof Item item && item.content instanceof ContentType && item.clock >= store.getState(item.client)) {
                    if (depths == null) {
                        depths = new NestingDepth(store, structs);
                    }
                    int container = depths.containerDepth(item);
                    if (container != NONE && container + 1 > YDoc.MAX_NESTING_DEPTH) {
                        throw new MalformedUpdateException(Reason.HOSTILE_SIZE, offsets.getOrDefault(item, -1L),
                                "type " + item.client + ":" + item.clock + " would be nested at least " + (container + 1)
                                        + " levels deep, more than YDoc.MAX_NESTING_DEPTH (" + YDoc.MAX_NESTING_DEPTH + ") allows");
                    }
                }
            }
        }
    }

    private int containerDepth(Item top) {
        ArrayDeque<Item> walk = new ArrayDeque<>();
        walk.push(top);
        while (!walk.isEmpty()) {
            Item x = walk.peek();
            Integer d = containerDepths.get(x);
            if (d == null) {
                containerDepths.put(x, WALKING);
                depthFromLinks(x, walk); // pushes what it depends on; x comes back once they are known
                continue;
            }
            if (d == WALKING) {
                containerDepths.put(x, depthFromLinks(x, null));
            }
            walk.pop();
        }
        return containerDepths.get(top);
    }

    /**
     * The depth of the type {@code x} would be inserted into, from what is known; with {@code unknown}, the structs
     * among those being checked whose depth is not known yet are pushed there instead (the result then means nothing).
     */
    private int depthFromLinks(Item x, ArrayDeque<Item> unknown) {
        if (x.parent instanceof String || x.parent instanceof AbstractType) {
            return 0;
        }
        if (x.parent instanceof ID pid) {
            return typeDepthAt(pid, unknown);
        }
        if (x.origin != null && x.rightOrigin != null && isGC(x.rightOrigin)) {
            return NONE;
        }
        return parentDepthOfSiblingAt(x.origin != null ? x.origin : x.rightOrigin, unknown);
    }

    /** The depth of the type held by the item at {@code id}. */
    private int typeDepthAt(ID id, ArrayDeque<Item> unknown) {
        if (id.clock() < store.getState(id.client())) {
            return store.find(id) instanceof Item i && i.content instanceof ContentType && i.type != null ? i.type.depth : NONE;
        }
        int depth = NONE;
        boolean found = false;
        for (AbstractStruct s : structsAt(id)) {
            found = true;
            if (s instanceof Item i && i.content instanceof ContentType) {
                int container = known(i, unknown);
                if (container != NONE) {
                    depth = Math.max(depth, container + 1);
                }
            }
        }
        return found ? depth : 1;
    }

    /** The depth of the type the struct at {@code id} is (or would be) in. */
    private int parentDepthOfSiblingAt(ID id, ArrayDeque<Item> unknown) {
        if (id.clock() < store.getState(id.client())) {
            return store.find(id) instanceof Item i && i.parent instanceof AbstractType p ? p.depth : NONE;
        }
        int depth = NONE;
        boolean found = false;
        for (AbstractStruct s : structsAt(id)) {
            found = true;
            if (s instanceof Item i) {
                depth = Math.max(depth, known(i, unknown));
            }
        }
        return found ? depth : 0;
    }

    private boolean isGC(ID id) {
        if (id.clock() < store.getState(id.client())) {
            return store.find(id) instanceof GC;
        }
        List<AbstractStruct> at = structsAt(id);
        return !at.isEmpty() && at.stream().allMatch(s -> s instanceof GC);
    }

    private int known(Item i, ArrayDeque<Item> unknown) {
        Integer d = containerDepths.get(i);
        if (d == null) {
            if (unknown != null) {
                unknown.push(i);
            }
            return NONE;
        }
        return d == WALKING ? NONE : d;
    }

    /** The structs being checked that hold {@code id}: one per list that has it (an update and the pending ones may). */
    private List<AbstractStruct> structsAt(ID id) {
        List<List<AbstractStruct>> lists = byClient.get(id.client());
        if (lists == null) {
            return List.of();
        }
        List<AbstractStruct> out = new ArrayList<>(1);
        for (List<AbstractStruct> list : lists) {
            int lo = 0;
            int hi = list.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                AbstractStruct s = list.get(mid);
                if (id.clock() < s.clock) {
                    hi = mid - 1;
                } else if (id.clock() >= s.clock + s.length) {
                    lo = mid + 1;
                } else {
                    if (!(s instanceof Skip)) {
                        out.add(s); // a Skip is a gap: what it covers is unknown
                    }
                    break;
                }
            }
        }
        return out;
    }
}
