package dev.quire.server.hub;

import dev.quire.yjs.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a client what it lacks of a document after its SyncStep1. A small state goes as one SyncStep2. A large one
 * goes as several sync Update messages of at most {@link #SYNC_CHUNK_BYTES} each, the last as the SyncStep2 that
 * marks the client synced: one frame of tens of MB would hold up everything queued behind it on the socket
 * (awareness, pings) and exceed the message limits of some proxies (y-redis/y-hub #55).
 *
 * <p>A client whose document is empty (empty state vector) gets {@link Updates#splitState}, which cuts rich text
 * (format items) too when that is proven to rebuild the same document, at the cost of applying the state twice.
 * So that runs on the preparing threads, not the document's, one preparation at a time per document, which serves
 * every client that joins meanwhile. Such a client gets no broadcast updates until its state is out (they are in
 * the state, or in the difference sent after it when the document changed during the preparation), and no
 * acknowledgement either: a provider counts itself synced once its changes are acknowledged. A client
 * that already holds part of the document gets {@link Updates#splitUpdate}'s cut right away (rich text whole).
 */
final class StateSender {
    private static final Logger LOG = LoggerFactory.getLogger(StateSender.class);
    /** The largest frame of state sent to a joining client. */
    static final int SYNC_CHUNK_BYTES = 1 << 20;

    private final Executor preparers;

    StateSender(Executor preparers) {
        this.preparers = preparers;
    }

    /** One preparation of a document's whole state (see {@link HubDocument#prepared}). */
    record Prepared(long version, byte[] stateVector, CompletableFuture<List<byte[]>> chunks) {
    }

    /** Runs on the document's executor; {@code diff} is {@code d}'s state beyond {@code clientStateVector}. */
    void send(HubDocument d, DocumentPeer peer, byte[] clientStateVector, byte[] diff) {
        if (diff.length <= SYNC_CHUNK_BYTES) {
            peer.sendSyncStep2(diff);
        } else if (Updates.decodeStateVector(clientStateVector).isEmpty()) {
            Prepared p = d.prepared;
            // one preparation at a time per document: a client that joins while one runs shares it, even if the document
            // changed since it started (deliver sends what changed after the chunks)
            if (p == null || (p.chunks().isDone() && p.version() != d.version())) {
                p = new Prepared(d.version(), d.doc.encodeStateVector(),
                        CompletableFuture.supplyAsync(() -> Updates.splitState(diff, SYNC_CHUNK_BYTES), preparers));
                d.prepared = p;
            }
            d.receivingState.putIfAbsent(peer, new ArrayList<>());
            Prepared prepared = p;
            p.chunks().whenComplete((chunks, e) -> d.executor.execute(() -> {
                if (e != null) {
                    LOG.warn("could not cut the state of {} ({}); sending it whole", d.name, e.toString());
                }
                deliver(d, peer, prepared, e == null ? chunks : List.of(diff));
            }));
        } else {
            sendChunks(peer, Updates.splitUpdate(diff, SYNC_CHUNK_BYTES));
        }
    }

    private static void deliver(HubDocument d, DocumentPeer peer, Prepared prepared, List<byte[]> chunks) {
        List<Boolean> heldAcks = d.receivingState.remove(peer);
        if (heldAcks == null || d.unloaded) {
            return; // left meanwhile (or a second SyncStep1's preparation already delivered)
        }
        if (d.version() == prepared.version()) {
            sendChunks(peer, chunks);
        } else {
            chunks.forEach(peer::sendUpdate);
            peer.sendSyncStep2(d.doc.encodeStateAsUpdate(prepared.stateVector())); // what changed during the preparation
            if (d.prepared == prepared) {
                d.prepared = null; // out of date: do not keep a copy of the whole state
            }
        }
        heldAcks.forEach(peer::sendSyncStatus);
    }

    private static void sendChunks(DocumentPeer peer, List<byte[]> chunks) {
        for (int i = 0; i < chunks.size() - 1; i++) {
            peer.sendUpdate(chunks.get(i));
        }
        peer.sendSyncStep2(chunks.get(chunks.size() - 1));
    }
}
