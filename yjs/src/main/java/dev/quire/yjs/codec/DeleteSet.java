package dev.quire.yjs.codec;

import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deleted clock ranges of an update, per client. Written with clients in descending order (as
 * yjs), ranges in the order held; {@link #sortAndMerge()} sorts and joins overlapping ranges.
 */
public final class DeleteSet {
    /** A deleted range {@code [clock, clock + len)}. */
    public record DeleteItem(long clock, long len) {
    }

    private final LinkedHashMap<Long, List<DeleteItem>> clients = new LinkedHashMap<>();

    /** Per client (in insertion order), the ranges. */
    public Map<Long, List<DeleteItem>> clients() {
        return Collections.unmodifiableMap(clients);
    }

    public boolean isEmpty() {
        return clients.isEmpty();
    }

    public void add(long client, long clock, long len) {
        clients.computeIfAbsent(client, c -> new ArrayList<>()).add(new DeleteItem(clock, len));
    }

    /** Reads a delete set as yjs {@code readDeleteSet} does (a client listed twice gets both lists). */
    public static DeleteSet read(UpdateDecoder decoder) {
        Lib0Reader in = decoder.rest();
        DeleteSet ds = new DeleteSet();
        long numClients = in.readVarUint();
        for (long i = 0; i < numClients; i++) {
            decoder.resetDsCurVal();
            long client = in.readVarUint();
            long n = in.readVarUint();
            if (n > in.remaining()) { // every range takes at least two bytes
                throw in.error(Reason.LENGTH_EXCEEDS_INPUT, "delete set of " + n + " ranges, but only " + in.remaining() + " bytes remain");
            }
            if (n > 0) {
                List<DeleteItem> list = ds.clients.computeIfAbsent(client, c -> new ArrayList<>());
                for (long j = 0; j < n; j++) {
                    long clock = decoder.readDsClock();
                    long len = decoder.readDsLen();
                    if (len == 0) {
                        throw in.error(Reason.INVALID_VALUE, "zero-length delete range for client " + client);
                    }
                    if (clock + len > Lib0Reader.MAX_SAFE_INTEGER) {
                        throw in.error(Reason.INVALID_VALUE, "delete range beyond clock 2^53-1");
                    }
                    list.add(new DeleteItem(clock, len));
                }
            }
        }
        return ds;
    }

    /** Writes clients in descending id order, ranges as held. */
    public void write(UpdateEncoder encoder) {
        var out = encoder.rest();
        out.writeVarUint(clients.size());
        List<Long> ids = new ArrayList<>(clients.keySet());
        ids.sort(Collections.reverseOrder());
        for (long client : ids) {
            List<DeleteItem> items = clients.get(client);
            encoder.resetDsCurVal();
            out.writeVarUint(client);
            out.writeVarUint(items.size());
            for (DeleteItem item : items) {
                encoder.writeDsClock(item.clock());
                encoder.writeDsLen(item.len());
            }
        }
    }

    /** Sorts each client's ranges by clock and joins ranges that overlap or touch (yjs {@code sortAndMergeDeleteSet}). */
    public void sortAndMerge() {
        for (Map.Entry<Long, List<DeleteItem>> e : clients.entrySet()) {
            List<DeleteItem> dels = e.getValue();
            if (dels.size() < 2) {
                continue;
            }
            dels.sort((a, b) -> Long.compare(a.clock(), b.clock()));
            List<DeleteItem> merged = new ArrayList<>(dels.size());
            DeleteItem left = dels.get(0);
            for (int i = 1; i < dels.size(); i++) {
                DeleteItem right = dels.get(i);
                if (left.clock() + left.len() >= right.clock()) {
                    left = new DeleteItem(left.clock(), Math.max(left.len(), right.clock() + right.len() - left.clock()));
                } else {
                    merged.add(left);
                    left = right;
                }
            }
            merged.add(left);
            e.setValue(merged);
        }
    }

    /** yjs {@code mergeDeleteSets}: clients in order of first appearance, ranges concatenated, then sorted and merged. */
    public static DeleteSet merge(List<DeleteSet> sets) {
        DeleteSet merged = new DeleteSet();
        for (DeleteSet ds : sets) {
            ds.clients.forEach((client, items) -> merged.clients.computeIfAbsent(client, c -> new ArrayList<>()).addAll(items));
        }
        merged.sortAndMerge();
        return merged;
    }
}
