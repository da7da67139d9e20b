package dev.quire.yjs.conformance;

import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.ContentAny;
import dev.quire.yjs.codec.ContentJSON;
import dev.quire.yjs.codec.ContentString;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.GC;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.Skip;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Grades two merges of the same inputs by meaning rather than bytes: the same delete set, the same state
 * vector, and clock by clock the same content, except that a unit may be a GC in one and an Item in the
 * other (the choice yjs leaves to V8's sort when both start at the same id).
 */
final class MergeEquivalence {
    private MergeEquivalence() {
    }

    /** Null when equivalent, else what differs. */
    static String difference(byte[] expected, byte[] actual, UpdateFormat format) {
        DecodedUpdate e = Updates.decode(expected, format);
        DecodedUpdate a = Updates.decode(actual, format);
        byte[] dsE = deleteSetBytes(e);
        byte[] dsA = deleteSetBytes(a);
        if (!Arrays.equals(dsE, dsA)) {
            return "delete sets differ";
        }
        Map<String, String> ue = units(e);
        Map<String, String> ua = units(a);
        if (!ue.keySet().equals(ua.keySet())) {
            return "covered clock ranges differ";
        }
        for (Map.Entry<String, String> en : ue.entrySet()) {
            String x = en.getValue();
            String y = ua.get(en.getKey());
            if (x.equals(y)) {
                continue;
            }
            boolean tie = (x.equals("GC") && y.startsWith("I")) || (y.equals("GC") && x.startsWith("I"));
            // an item's deleted form (ContentDeleted) against its content, for a unit the delete set covers
            boolean deletedForm = (x.startsWith("I1:") || y.startsWith("I1:")) && x.startsWith("I") && y.startsWith("I")
                    && deleted(e, en.getKey());
            if (!tie && !deletedForm) {
                return "unit " + en.getKey() + ": " + x + " vs " + y;
            }
        }
        return null;
    }

    private static byte[] deleteSetBytes(DecodedUpdate d) {
        var enc = UpdateFormat.V1.encoder();
        d.deleteSet().sortAndMerge();
        d.deleteSet().write(enc);
        return enc.toByteArray();
    }

    private static boolean deleted(DecodedUpdate d, String unit) {
        String[] cc = unit.split(":");
        long client = Long.parseLong(cc[0]);
        long clock = Long.parseLong(cc[1]);
        var items = d.deleteSet().clients().get(client);
        return items != null && items.stream().anyMatch(r -> r.clock() <= clock && clock < r.clock() + r.len());
    }

    /** Values compared by their lib0 encoding (byte arrays have no value equality). */
    private static String anyHex(Object v) {
        var w = new dev.quire.yjs.lib0.Lib0Writer();
        w.writeAny(v);
        return UpdateConformanceTest.hex(w.toByteArray());
    }

    private static Map<String, String> units(DecodedUpdate d) {
        Map<String, String> out = new TreeMap<>();
        for (Struct s : d.structs()) {
            for (long i = 0; i < s.length(); i++) {
                String key = s.client + ":" + (s.clock + i);
                String v;
                if (s instanceof GC) {
                    v = "GC";
                } else if (s instanceof Skip) {
                    v = "SKIP";
                } else {
                    Item it = (Item) s;
                    Object unit;
                    if (it.content instanceof ContentString cs) {
                        unit = cs.str().charAt((int) i);
                    } else if (it.content instanceof ContentAny ca) {
                        unit = anyHex(ca.arr().get((int) i));
                    } else if (it.content instanceof ContentJSON cj) {
                        unit = anyHex(cj.arr().get((int) i));
                    } else {
                        var w = UpdateFormat.V2.encoder();
                        it.content.write(w, 0);
                        unit = it.content.ref() + ":" + UpdateConformanceTest.hex(w.toByteArray());
                    }
                    v = "I" + it.content.ref() + ":" + unit;
                }
                out.put(key, v);
            }
        }
        return out;
    }
}
