package dev.quire.persister;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.model.YDoc;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Computes a snapshot: the previous snapshot's state (if any) with the following updates applied, in a
 * garbage-collected document. A pure function of its inputs, so `quire rebuild` reproduces the bytes the
 * live persister wrote.
 */
public final class Snapshots {
    /** A computed state and its state vector. */
    public record State(byte[] state, byte[] stateVector) {
    }

    private Snapshots() {
    }

    public static State compute(byte[] previousState, List<byte[]> updates) {
        YDoc doc = new YDoc(0, true);
        if (previousState != null) {
            doc.applyUpdate(previousState);
        }
        for (byte[] u : updates) {
            doc.applyUpdate(u);
        }
        return new State(doc.encodeStateAsUpdate(null), doc.encodeStateVector());
    }

    /** A computed state and the updates that were left out of it: index in the input, why. */
    public record Folded(State state, Map<Integer, String> rejected) {
    }

    /**
     * Like {@link #compute}, but an update the document cannot integrate (it decodes, yet refers to what cannot
     * exist, e.g. an item that is its own right origin: yjs throws on it too) is left out instead of failing the
     * whole state. The state is that of the other updates, exactly as {@link #compute} of them would give.
     */
    public static Folded fold(byte[] previousState, List<byte[]> updates) {
        Map<Integer, String> rejected = new TreeMap<>();
        while (true) {
            YDoc doc = new YDoc(0, true);
            if (previousState != null) {
                doc.applyUpdate(previousState);
            }
            boolean failed = false;
            for (int i = 0; i < updates.size() && !failed; i++) {
                if (rejected.containsKey(i)) {
                    continue;
                }
                try {
                    doc.applyUpdate(updates.get(i));
                } catch (MalformedUpdateException e) {
                    rejected.put(i, e.getMessage());
                    failed = true; // the update may have changed the document half-way: start again without it
                }
            }
            if (!failed) {
                return new Folded(new State(doc.encodeStateAsUpdate(null), doc.encodeStateVector()), rejected);
            }
        }
    }
}
