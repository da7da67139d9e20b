package dev.quire.yjs.conformance;

import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.GC;
import dev.quire.yjs.codec.ID;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Detects the one merge input yjs itself orders non-deterministically: a GC in one update and an Item in
 * another starting at the same id (yjs's comparator answers -1 both ways; the result depends on V8's sort).
 */
final class MergeTies {
    private MergeTies() {
    }

    static boolean hasGcItemTie(List<byte[]> updates, UpdateFormat format) {
        Set<ID> gcStarts = new HashSet<>();
        Set<ID> itemStarts = new HashSet<>();
        for (byte[] u : updates) {
            DecodedUpdate d = Updates.decode(u, format);
            for (Struct s : d.structs()) {
                if (s instanceof GC) {
                    gcStarts.add(s.id());
                } else if (s instanceof Item) {
                    itemStarts.add(s.id());
                }
            }
        }
        gcStarts.retainAll(itemStarts);
        return !gcStarts.isEmpty();
    }
}
