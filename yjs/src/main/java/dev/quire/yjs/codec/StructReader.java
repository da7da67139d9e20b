package dev.quire.yjs.codec;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the structs of an update as yjs's lazy struct reader does ({@code updates.js}), without a
 * document: parents stay root names or IDs.
 *
 * <p>Hostile input is bounded: v2 columns can repeat a value forever, so a v2 update could describe
 * billions of structs in a few bytes. The number of structs is capped at
 * {@code 65,536 + 64 x input bytes}; yjs never produces a denser update.
 */
public final class StructReader {
    private StructReader() {
    }

    /** The most structs an update of {@code inputLength} bytes may decode to. */
    public static long maxStructs(long inputLength) {
        return 65_536 + 64 * inputLength;
    }

    /** Decodes the whole update: structs, then the delete set. */
    public static DecodedUpdate decode(byte[] update, UpdateFormat format) {
        UpdateDecoder decoder = format.decoder(update);
        List<Struct> structs = readStructs(decoder, maxStructs(update.length));
        DeleteSet ds = DeleteSet.read(decoder);
        return new DecodedUpdate(structs, ds);
    }

    /** Reads all structs; the decoder is left at the delete set. */
    public static List<Struct> readStructs(UpdateDecoder decoder, long maxStructs) {
        Lib0Reader rest = decoder.rest();
        List<Struct> out = new ArrayList<>();
        long numClients = rest.readVarUint();
        for (long i = 0; i < numClients; i++) {
            if (!rest.hasContent()) {
                throw rest.error(Reason.TRUNCATED, "unexpected end of input, expected client " + (i + 1) + " of " + numClients);
            }
            long numStructs = rest.readVarUint();
            long client = decoder.readClient();
            long clock = rest.readVarUint();
            for (long j = 0; j < numStructs; j++) {
                if (out.size() >= maxStructs) {
                    throw rest.error(Reason.HOSTILE_SIZE, "update declares more than " + maxStructs + " structs");
                }
                long at = rest.offset();
                Struct s = readStruct(decoder, client, clock);
                long len = s.length();
                if (len <= 0) {
                    throw new MalformedUpdateException(Reason.INVALID_VALUE, at, "zero-length struct at " + client + ":" + clock);
                }
                clock += len;
                if (clock > Lib0Reader.MAX_SAFE_INTEGER) {
                    throw new MalformedUpdateException(Reason.INVALID_VALUE, at, "clock of client " + client + " beyond 2^53-1");
                }
                out.add(s);
            }
        }
        return out;
    }

    private static Struct readStruct(UpdateDecoder decoder, long client, long clock) {
        int info = decoder.readInfo();
        if (info == Skip.REF) {
            return new Skip(client, clock, decoder.rest().readVarUint());
        }
        if ((info & Item.CONTENT_REF_MASK) == 0) {
            return new GC(client, clock, decoder.readLen());
        }
        boolean cantCopyParentInfo = (info & (Item.HAS_ORIGIN | Item.HAS_RIGHT_ORIGIN)) == 0;
        ID origin = (info & Item.HAS_ORIGIN) != 0 ? decoder.readLeftId() : null;
        ID rightOrigin = (info & Item.HAS_RIGHT_ORIGIN) != 0 ? decoder.readRightId() : null;
        Object parent = null;
        String parentSub = null;
        if (cantCopyParentInfo) {
            parent = decoder.readParentInfo() ? decoder.readString() : decoder.readLeftId();
            if ((info & Item.HAS_PARENT_SUB) != 0) {
                parentSub = decoder.readString();
            }
        }
        Content content = ContentReader.read(decoder, info & Item.CONTENT_REF_MASK);
        return new Item(client, clock, origin, rightOrigin, parent, parentSub, content);
    }
}
