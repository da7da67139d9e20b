package dev.quire.yjs.internal;

import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.DeleteSet;
import dev.quire.yjs.codec.Item;
import dev.quire.yjs.codec.Skip;
import dev.quire.yjs.codec.Struct;
import dev.quire.yjs.codec.StructWriter;
import dev.quire.yjs.codec.UpdateEncoderV1;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Cuts a v1 update into consecutive v1 updates of at most {@code maxBytes} bytes each, so that a large
 * document state can be sent as several messages.
 *
 * <p>Structs are taken in the update's order and packed greedily; a chunk is cut only between structs,
 * so each client's structs arrive in contiguous, increasing clock ranges. A chunk holds at most one run
 * (fragment) per client, as yjs's reader keeps only the last run of a client in an update. Skips carry
 * nothing: one is kept only between two structs of the same run in the same chunk, never at the start or
 * end of a run. The delete set goes into the last chunk, or into a chunk of its own (with no structs)
 * when it does not fit there. A single struct larger than {@code maxBytes} gets a chunk of its own.
 *
 * <p>The caller keeps text formatting away (see {@code Updates.splitUpdate}): after a remote transaction that
 * integrates a text's format item, yjs deletes the format items it finds redundant, and on a partly received
 * text it deletes items the complete text needs.
 */
public final class UpdateSplitter {
    /** An empty delete set: one varUint 0. */
    private static final int EMPTY_DS_BYTES = 1;

    private int maxBytes;
    private final UpdateEncoderV1 scratch = new UpdateEncoderV1();
    private final List<byte[]> chunks = new ArrayList<>();

    // the chunk being filled
    private UpdateEncoderV1 encoder;
    private StructWriter writer;
    private final Set<Long> chunkClients = new HashSet<>();
    private int structs;
    private int fragments;
    private long closedBytes; // fragments before the open one, headers included
    private long openCount; // structs in the open fragment
    private long openBytes; // the open fragment without its struct count
    private long lastClient;
    private long writtenEnd; // clock after the last struct written
    private final List<Struct> heldSkips = new ArrayList<>();
    private long heldEnd;
    private long heldBytes;

    private UpdateSplitter(int maxBytes) {
        this.maxBytes = maxBytes;
        startChunk();
    }

    /** The chunks of {@code update}, in the order they must be applied; the last one holds the delete set. */
    public static List<byte[]> split(DecodedUpdate update, int maxBytes) {
        UpdateSplitter s = new UpdateSplitter(maxBytes);
        update.structs().forEach(s::add);
        s.finishWith(update.deleteSet());
        return s.chunks;
    }

    private void add(Struct s) {
        boolean continues = structs > 0 && s.client == lastClient && s.clock == heldEnd;
        if (s instanceof Skip) {
            if (continues) { // held until a struct of the same run follows in this chunk
                heldSkips.add(s);
                heldEnd = s.clock + s.length();
                heldBytes += encodedLength(s);
            }
            return;
        }
        long len = encodedLength(s);
        if (!continues) {
            dropHeldSkips();
        }
        if (structs > 0) {
            long grown = continues
                    ? Lib0Writer.varUintLength(fragments) + closedBytes
                            + Lib0Writer.varUintLength(openCount + heldSkips.size() + 1) + openBytes + heldBytes + len
                    : Lib0Writer.varUintLength(fragments + 1L) + closedBytes + Lib0Writer.varUintLength(openCount) + openBytes
                            + Lib0Writer.varUintLength(1) + headerBytes(s) + len;
            if (grown + EMPTY_DS_BYTES > maxBytes || (!continues && chunkClients.contains(s.client))) {
                finishChunk(new DeleteSet());
                startChunk();
                continues = false;
            }
        }
        if (continues) {
            for (Struct skip : heldSkips) {
                writer.write(skip, 0);
            }
            openCount += heldSkips.size() + 1;
            openBytes += heldBytes + len;
            dropHeldSkips();
        } else {
            if (fragments > 0) {
                closedBytes += Lib0Writer.varUintLength(openCount) + openBytes;
            }
            fragments++;
            chunkClients.add(s.client);
            openCount = 1;
            openBytes = headerBytes(s) + len;
        }
        writer.write(s, 0);
        structs++;
        lastClient = s.client;
        writtenEnd = s.clock + s.length();
        heldEnd = writtenEnd;
    }

    private void finishWith(DeleteSet ds) {
        dropHeldSkips();
        if (structs > 0 && !ds.isEmpty()) {
            scratch.rest().reset();
            ds.write(scratch);
            if (structBytes() + scratch.rest().length() > maxBytes) {
                finishChunk(new DeleteSet());
                startChunk();
            }
        }
        finishChunk(ds);
    }

    /** Bytes of the chunk's struct section as written so far. */
    private long structBytes() {
        if (fragments == 0) {
            return Lib0Writer.varUintLength(0);
        }
        return Lib0Writer.varUintLength(fragments) + closedBytes + Lib0Writer.varUintLength(openCount) + openBytes;
    }

    private void dropHeldSkips() {
        heldSkips.clear();
        heldBytes = 0;
        heldEnd = writtenEnd;
    }

    private void startChunk() {
        encoder = new UpdateEncoderV1();
        writer = new StructWriter(encoder);
        chunkClients.clear();
        structs = 0;
        fragments = 0;
        closedBytes = 0;
        openCount = 0;
        openBytes = 0;
        heldSkips.clear();
        heldBytes = 0;
    }

    private void finishChunk(DeleteSet ds) {
        writer.finish();
        ds.write(encoder);
        chunks.add(encoder.toByteArray());
    }

    /** Client and start clock of a run beginning with {@code s} (v1 writes both as varUints). */
    private static long headerBytes(Struct s) {
        return Lib0Writer.varUintLength(s.client) + Lib0Writer.varUintLength(s.clock);
    }

    /** Bytes {@code s} takes in a v1 update, measured with the encoder itself. */
    private long encodedLength(Struct s) {
        scratch.rest().reset();
        s.write(scratch, 0);
        return scratch.rest().length();
    }
}
