package dev.quire.yjs.internal;

import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.DeleteSet;
import dev.quire.yjs.codec.GC;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.Skip;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.StructReader;
import dev.quire.yjs.codec.StructWriter;
import dev.quire.yjs.codec.UpdateEncoder;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * {@code Y.mergeUpdates} without a document, byte-equal to yjs 13.6 on Node 20.
 *
 * <p>yjs keeps one reader per update in an array and re-sorts the whole array after every written
 * struct, which is quadratic. Between two sorts only the head reader moves, and the sort is stable, so
 * with a consistent comparator the order is: client descending, clock ascending, and among equal keys
 * the reader that moved most recently (it was at position 0), else input order. A heap keyed on
 * (client, clock, sequence) reproduces that in O(n log n).
 *
 * <p>yjs's comparator is inconsistent in one case: a GC and an Item starting at the same id are each
 * "smaller" than the other, and the result then depends on the exact comparisons V8's TimSort makes.
 * When the inputs hold such a pair (and there are at most {@link #EXACT_TIE_LIMIT} of them), this class
 * runs yjs's own loop with {@link V8Sort}, so the output still equals yjs's.
 */
public final class UpdateMerger {
    /**
     * Up to this many inputs, a GC/Item tie makes the merge run yjs's quadratic loop to get yjs's exact
     * bytes; above it the heap is used and such ties may be ordered differently from yjs (still a
     * correct merge). Bounds the cost of hostile input.
     */
    static final int EXACT_TIE_LIMIT = 2048;

    private final StructWriter writer;
    private Struct currWrite;

    private UpdateMerger(StructWriter writer) {
        this.writer = writer;
    }

    private static final class Cursor {
        final List<Struct> structs;
        int idx = -1;
        Struct curr;
        long seq;

        Cursor(List<Struct> structs, long seq) {
            this.structs = structs;
            this.seq = seq;
            next();
        }

        /** Advances past Skips (merge reads with {@code filterSkips = true}). */
        Struct next() {
            do {
                idx++;
                curr = idx < structs.size() ? structs.get(idx) : null;
            } while (curr instanceof Skip);
            return curr;
        }
    }

    /** Merges decoded updates; {@code format} is the output encoding. */
    public static byte[] merge(List<DecodedUpdate> updates, UpdateFormat format) {
        UpdateEncoder encoder = format.encoder();
        UpdateMerger m = new UpdateMerger(new StructWriter(encoder));
        List<Cursor> cursors = new ArrayList<>(updates.size());
        for (int i = 0; i < updates.size(); i++) {
            cursors.add(new Cursor(updates.get(i).structs(), i));
        }
        if (updates.size() <= EXACT_TIE_LIMIT && hasGcItemTie(updates)) {
            m.mergeAsYjs(cursors);
        } else {
            m.mergeWithHeap(cursors);
        }
        if (m.currWrite != null) {
            m.writer.write(m.currWrite, 0);
        }
        m.writer.finish();
        List<DeleteSet> dss = new ArrayList<>(updates.size());
        for (DecodedUpdate u : updates) {
            dss.add(u.deleteSet());
        }
        DeleteSet.merge(dss).write(encoder);
        return encoder.toByteArray();
    }

    /** Whether some update has a GC starting at an id where another update has an Item. */
    static boolean hasGcItemTie(List<DecodedUpdate> updates) {
        Set<ID> gcStarts = new HashSet<>();
        for (DecodedUpdate u : updates) {
            for (Struct s : u.structs()) {
                if (s instanceof GC) {
                    gcStarts.add(s.id());
                }
            }
        }
        if (gcStarts.isEmpty()) {
            return false;
        }
        for (DecodedUpdate u : updates) {
            for (Struct s : u.structs()) {
                if (s instanceof Item && gcStarts.contains(s.id())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int heapOrder(Cursor a, Cursor b) {
        if (a.curr.client != b.curr.client) {
            return Long.compare(b.curr.client, a.curr.client);
        }
        if (a.curr.clock != b.curr.clock) {
            return Long.compare(a.curr.clock, b.curr.clock);
        }
        return Long.compare(a.seq, b.seq);
    }

    /** yjs's comparator, inconsistent for GC vs Item at the same id, as written in updates.js. */
    private static int yjsOrder(Cursor d1, Cursor d2) {
        if (d1.curr.client == d2.curr.client) {
            long clockDiff = d1.curr.clock - d2.curr.clock;
            if (clockDiff == 0) {
                return d1.curr.getClass() == d2.curr.getClass() ? 0 : d1.curr instanceof Skip ? 1 : -1;
            }
            return Long.signum(clockDiff);
        }
        return Long.signum(d2.curr.client - d1.curr.client);
    }

    private void mergeWithHeap(List<Cursor> cursors) {
        PriorityQueue<Cursor> heap = new PriorityQueue<>(Math.max(1, cursors.size()), UpdateMerger::heapOrder);
        for (Cursor c : cursors) {
            if (c.curr != null) {
                heap.add(c);
            }
        }
        long nextSeq = -1;
        while (!heap.isEmpty()) {
            Cursor cur = heap.poll();
            int startIdx = cur.idx;
            step(cur);
            if (cur.curr != null) {
                if (cur.idx != startIdx) {
                    cur.seq = nextSeq--; // moved: first among equal keys at the next sort
                }
                heap.add(cur);
            }
        }
    }

    private void mergeAsYjs(List<Cursor> cursors) {
        Cursor[] arr = cursors.toArray(new Cursor[0]);
        int n = arr.length;
        while (true) {
            int live = 0;
            for (int i = 0; i < n; i++) {
                if (arr[i].curr != null) {
                    arr[live++] = arr[i];
                }
            }
            n = live;
            V8Sort.sort(arr, n, UpdateMerger::yjsOrder);
            if (n == 0) {
                break;
            }
            step(arr[0]);
        }
    }

    /** One iteration of yjs's loop with {@code cur} as the head reader. */
    private void step(Cursor cur) {
        long firstClient = cur.curr.client;
        if (currWrite != null) {
            Struct curr = cur.curr;
            boolean iterated = false;
            long writeEnd = currWrite.clock + currWrite.length();
            while (curr != null && curr.clock + curr.length() <= writeEnd && curr.client >= currWrite.client) {
                curr = cur.next();
                iterated = true;
            }
            if (curr == null || curr.client != firstClient || (iterated && curr.clock > writeEnd)) {
                return;
            }
            if (firstClient != currWrite.client) {
                writer.write(currWrite, 0);
                currWrite = curr;
                cur.next();
            } else if (writeEnd < curr.clock) {
                if (currWrite instanceof Skip skip) {
                    skip.extendTo(curr.clock + curr.length()); // yjs extends the skip over curr
                } else {
                    writer.write(currWrite, 0);
                    currWrite = new Skip(firstClient, writeEnd, curr.clock - writeEnd);
                }
            } else {
                long diff = writeEnd - curr.clock;
                if (diff > 0) {
                    if (currWrite instanceof Skip skip) {
                        skip.shrinkBy(diff); // prefer slicing the skip: the other struct has content
                    } else {
                        curr = curr.sliceFrom(diff);
                    }
                }
                if (!mergeWith(currWrite, curr)) {
                    writer.write(currWrite, 0);
                    currWrite = curr;
                    cur.next();
                }
            }
        } else {
            currWrite = cur.curr;
            cur.next();
        }
        for (Struct next = cur.curr;
             next != null && next.client == firstClient && next.clock == currWrite.clock + currWrite.length() && !(next instanceof Skip);
             next = cur.next()) {
            writer.write(currWrite, 0);
            currWrite = next;
        }
    }

    /** GC+GC and Skip+Skip merge; lazily read items never do (they have no right neighbour). */
    private static boolean mergeWith(Struct left, Struct right) {
        if (left instanceof GC gc && right instanceof GC r) {
            gc.extendBy(r.length());
            return true;
        }
        if (left instanceof Skip skip && right instanceof Skip r) {
            skip.extendTo(skip.clock + skip.length() + r.length());
            return true;
        }
        return false;
    }

    /** Convenience for callers holding bytes. */
    public static byte[] mergeBytes(List<byte[]> updates, UpdateFormat in, UpdateFormat out) {
        List<DecodedUpdate> decoded = new ArrayList<>(updates.size());
        for (byte[] u : updates) {
            decoded.add(StructReader.decode(u, in));
        }
        return merge(decoded, out);
    }
}
