package dev.quire.yjs.model;

import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.DeleteSet;
import dev.quire.yjs.codec.UpdateEncoder;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes a document's state (yjs {@code writeClientsStructs}, {@code encodeStateAsUpdate}). */
final class StateEncoder {
    private StateEncoder() {
    }

    private static void writeStructs(UpdateEncoder encoder, List<AbstractStruct> structs, long client, long clock) {
        clock = Math.max(clock, structs.get(0).clock);
        int startNewStructs = StructStore.findIndexSS(structs, clock);
        encoder.rest().writeVarUint(structs.size() - startNewStructs);
        encoder.writeClient(client);
        encoder.rest().writeVarUint(clock);
        AbstractStruct first = structs.get(startNewStructs);
        first.write(encoder, clock - first.clock);
        for (int i = startNewStructs + 1; i < structs.size(); i++) {
            structs.get(i).write(encoder, 0);
        }
    }

    /** Writes every struct the target state vector {@code sv} lacks, clients in descending order. */
    static void writeClientsStructs(UpdateEncoder encoder, StructStore store, Map<Long, Long> sv) {
        Map<Long, Long> sm = new LinkedHashMap<>();
        sv.forEach((client, clock) -> {
            if (store.getState(client) > clock) {
                sm.put(client, clock);
            }
        });
        for (Long client : store.clients.keySet()) {
            if (!sv.containsKey(client)) {
                sm.put(client, 0L);
            }
        }
        encoder.rest().writeVarUint(sm.size());
        List<Long> clients = new ArrayList<>(sm.keySet());
        clients.sort(Collections.reverseOrder());
        for (long client : clients) {
            writeStructs(encoder, store.clients.get(client), client, sm.get(client));
        }
    }

    /** yjs {@code createDeleteSetFromStructStore}: runs of deleted structs (GC included) per client. */
    static DeleteSet deleteSetOf(StructStore store) {
        DeleteSet ds = new DeleteSet();
        store.clients.forEach((client, structs) -> {
            for (int i = 0; i < structs.size(); i++) {
                AbstractStruct struct = structs.get(i);
                if (struct.deleted()) {
                    long clock = struct.clock;
                    long len = struct.length;
                    while (i + 1 < structs.size() && structs.get(i + 1).deleted()) {
                        len += structs.get(++i).length;
                    }
                    ds.add(client, clock, len);
                }
            }
        });
        return ds;
    }

    /** yjs {@code encodeStateAsUpdate(V2)}: the structs {@code encodedSv} lacks, the whole delete set, and anything pending. */
    static byte[] encodeStateAsUpdate(YDoc doc, byte[] encodedSv, UpdateFormat format) {
        Map<Long, Long> target = Updates.decodeStateVector(encodedSv);
        UpdateEncoder encoder = format.encoder();
        writeClientsStructs(encoder, doc.store, target);
        deleteSetOf(doc.store).write(encoder);
        List<byte[]> updates = new ArrayList<>();
        updates.add(encoder.toByteArray());
        if (doc.store.pendingDs != null) {
            updates.add(doc.store.pendingDs);
        }
        if (doc.store.pendingStructs != null) {
            updates.add(Updates.diffUpdateV2(doc.store.pendingStructs.update, encodedSv));
        }
        if (updates.size() > 1) {
            if (format == UpdateFormat.V1) {
                List<byte[]> v1 = new ArrayList<>();
                v1.add(updates.get(0));
                for (int i = 1; i < updates.size(); i++) {
                    v1.add(Updates.convertUpdateFormatV2ToV1(updates.get(i)));
                }
                return Updates.mergeUpdates(v1);
            }
            return Updates.mergeUpdatesV2(updates);
        }
        return updates.get(0);
    }
}
