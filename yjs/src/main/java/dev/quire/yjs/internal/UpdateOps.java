package dev.quire.yjs.internal;

import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.Skip;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.StructWriter;
import dev.quire.yjs.codec.UpdateEncoder;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.List;
import java.util.Map;

/** diffUpdate, encodeStateVectorFromUpdate and format conversion on decoded updates (yjs {@code updates.js}). */
public final class UpdateOps {
    private UpdateOps() {
    }

    /** yjs {@code diffUpdateV2}: the structs the state vector lacks; the delete set is copied whole. */
    public static byte[] diff(DecodedUpdate update, Map<Long, Long> sv, UpdateFormat out) {
        UpdateEncoder encoder = out.encoder();
        StructWriter writer = new StructWriter(encoder);
        List<Struct> structs = update.structs();
        int i = 0;
        int n = structs.size();
        while (i < n) {
            Struct curr = structs.get(i);
            long client = curr.client;
            long svClock = sv.getOrDefault(client, 0L);
            if (curr instanceof Skip) {
                i++; // the first written struct must not be a skip
                continue;
            }
            if (curr.clock + curr.length() > svClock) {
                writer.write(curr, Math.max(svClock - curr.clock, 0));
                i++;
                while (i < n && structs.get(i).client == client) {
                    writer.write(structs.get(i), 0);
                    i++;
                }
            } else {
                while (i < n && structs.get(i).client == client && structs.get(i).clock + structs.get(i).length() <= svClock) {
                    i++;
                }
            }
        }
        writer.finish();
        update.deleteSet().write(encoder);
        return encoder.toByteArray();
    }

    /**
     * yjs {@code encodeStateVectorFromUpdateV2}: clients in update order; a client counts only from clock 0
     * and up to its first Skip. Written as a plain (v1) state vector.
     */
    public static byte[] stateVector(DecodedUpdate update) {
        List<Struct> structs = update.structs();
        Lib0Writer body = new Lib0Writer();
        int size = 0;
        if (!structs.isEmpty()) {
            Struct first = structs.get(0);
            long currClient = first.client;
            boolean stopCounting = first.clock != 0;
            long currClock = stopCounting ? 0 : first.clock + first.length();
            for (Struct curr : structs) {
                if (currClient != curr.client) {
                    if (currClock != 0) {
                        size++;
                        body.writeVarUint(currClient);
                        body.writeVarUint(currClock);
                    }
                    currClient = curr.client;
                    currClock = 0;
                    stopCounting = curr.clock != 0;
                }
                if (curr instanceof Skip) {
                    stopCounting = true;
                }
                if (!stopCounting) {
                    currClock = curr.clock + curr.length();
                }
            }
            if (currClock != 0) {
                size++;
                body.writeVarUint(currClient);
                body.writeVarUint(currClock);
            }
        }
        Lib0Writer out = new Lib0Writer(body.length() + 4);
        out.writeVarUint(size);
        out.writeWriter(body);
        return out.toByteArray();
    }

    /** Re-encodes every struct and the delete set in {@code out} (yjs {@code convertUpdateFormat}). */
    public static byte[] convert(DecodedUpdate update, UpdateFormat out) {
        UpdateEncoder encoder = out.encoder();
        StructWriter writer = new StructWriter(encoder);
        for (Struct s : update.structs()) {
            writer.write(s, 0);
        }
        writer.finish();
        update.deleteSet().write(encoder);
        return encoder.toByteArray();
    }
}
