package dev.quire.server.hub;

import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One loaded document on a front: its Yjs state (rebuilt from PostgreSQL and Kafka), its connections
 * and the awareness of their clients. Only its {@link SerialExecutor} touches it, so no locking is needed.
 */
final class HubDocument {
    /** A burst is flushed early once its updates reach this size (as Hocuspocus's flushMaxBytes). */
    static final int FLUSH_MAX_BYTES = 1 << 20;
    final String name;
    final SerialExecutor executor;
    final YDoc doc = new YDoc(0, true);
    final Set<DocumentPeer> peers = new LinkedHashSet<>();
    /** Latest awareness entry per client id. */
    final Map<Long, AwarenessUpdate.Entry> awareness = new LinkedHashMap<>();
    /** When each client of another front last renewed its awareness (System.nanoTime), for {@link #expireRemote}. */
    final Map<Long, Long> remoteSeen = new HashMap<>();
    /** Which awareness client ids each peer introduced (removed when it leaves). */
    final Map<DocumentPeer, Set<Long>> peerClients = new HashMap<>();
    /** Log records that arrived while loading (applied once loaded; updates are idempotent). */
    List<byte[]> buffered = new ArrayList<>();
    /** Work that waits for the load. */
    List<Runnable> waiting = new ArrayList<>();
    /** Set once, on the executor; read by the tail consumer to skip this front's own records (see DocumentHub). */
    volatile boolean loaded;
    boolean unloaded;
    ScheduledFuture<?> unloadTimer;
    /** The newest write to Kafka of a change to this document (writes of one document complete in order). */
    java.util.concurrent.CompletableFuture<?> lastWrite = java.util.concurrent.CompletableFuture.completedFuture(null);
    private boolean changed;
    /** Counts the document's changes, so that a prepared state knows whether it is still current. */
    private long version;
    /**
     * Peers waiting for their state (see {@link StateSender}), with the acknowledgements held for them meanwhile:
     * updates are not broadcast to them, and a provider counts itself synced once its changes are acknowledged,
     * which must not happen before it has the document.
     */
    final Map<DocumentPeer, List<Boolean>> receivingState = new HashMap<>();
    /** The newest preparation of the whole state for joining clients, or null. */
    StateSender.Prepared prepared;
    /** Updates applied but not yet sent to the connections (see {@link #broadcastUpdate}). */
    private final List<byte[]> outbox = new ArrayList<>();
    private int outboxBytes;
    private final AtomicLong framesOut;

    HubDocument(String name, SerialExecutor executor, AtomicLong framesOut) {
        this.name = name;
        this.executor = executor;
        this.framesOut = framesOut;
        doc.onUpdate((u, tr) -> {
            changed = true;
            version++;
        });
    }

    long version() {
        return version;
    }

    /**
     * Applies an update; returns whether it brought anything new: it changed the document, or some of it waits for
     * structs that have not arrived (false for known content). An update that only waits changes nothing yet, but it
     * must still be stored and forwarded like any other: it may be the only copy of that change anywhere (the gap it
     * waits for comes later, from the log or another front), and a client that never got it would itself wait forever
     * once the gap is filled, holding everything after it pending.
     */
    boolean apply(byte[] update) {
        changed = false;
        long keptPending = doc.updatesKeptPending();
        doc.applyUpdate(update);
        return changed || doc.updatesKeptPending() != keptPending;
    }

    /** Applies an update from the log (see {@link #apply}), skipping one that does not decode. */
    boolean applyFromLog(byte[] update) {
        try {
            return apply(update);
        } catch (MalformedUpdateException e) {
            return false; // a foreign producer's record: the persister quarantines it
        }
    }

    /**
     * Queues an update for every connection of the document. The first update queued schedules a flush behind
     * the work already waiting on the executor, so a burst (hundreds of writers on one document) goes out merged,
     * one frame per connection, instead of one frame per update per connection (as Hocuspocus 4.5 does, PR #1130).
     * Alone, an update is sent as it is, right after the task that applied it.
     */
    void broadcastUpdate(byte[] update) {
        outbox.add(update);
        outboxBytes += update.length;
        if (outbox.size() == 1) {
            executor.execute(this::flush);
        } else if (outboxBytes >= FLUSH_MAX_BYTES) {
            flush();
        }
    }

    private void flush() {
        if (outbox.isEmpty()) {
            return;
        }
        byte[] frame = outbox.size() == 1 ? outbox.get(0) : Updates.mergeUpdates(outbox);
        outbox.clear();
        outboxBytes = 0;
        for (DocumentPeer p : peers) {
            if (!receivingState.containsKey(p)) {
                p.sendUpdate(frame);
                framesOut.incrementAndGet();
            }
        }
    }

    /** A SyncStatus for {@code peer}, held while it waits for its state. */
    void sendSyncStatus(DocumentPeer peer, boolean applied) {
        List<Boolean> held = receivingState.get(peer);
        if (held != null) {
            held.add(applied);
        } else {
            peer.sendSyncStatus(applied);
        }
    }

    void broadcastAwareness(byte[] awarenessUpdate) {
        for (DocumentPeer p : peers) {
            p.sendAwareness(awarenessUpdate);
        }
    }

    /** Removes a peer; returns the awareness removal to broadcast for its clients, or null. */
    byte[] remove(DocumentPeer peer) {
        peers.remove(peer);
        receivingState.remove(peer);
        Set<Long> clients = peerClients.remove(peer);
        if (clients == null || clients.isEmpty()) {
            return null;
        }
        List<AwarenessUpdate.Entry> removals = new ArrayList<>();
        for (long c : clients) {
            AwarenessUpdate.Entry last = awareness.remove(c);
            removals.add(new AwarenessUpdate.Entry(c, last == null ? 1 : last.clock() + 1, "null"));
        }
        return new AwarenessUpdate(removals).encode();
    }

    /**
     * How many client ids {@code peer} would keep here once {@link #acceptAwareness} took {@code update}, computed
     * without taking it. Only the states the peer introduces count: older providers echo every other client's change
     * back at the same clock, which keeps nothing.
     */
    int clientsAfter(DocumentPeer peer, AwarenessUpdate update) {
        Set<Long> mine = new HashSet<>(peerClients.getOrDefault(peer, Set.of()));
        Map<Long, AwarenessUpdate.Entry> seen = new HashMap<>();
        for (AwarenessUpdate.Entry e : update.entries()) {
            AwarenessUpdate.Entry known = seen.containsKey(e.clientId()) ? seen.get(e.clientId()) : awareness.get(e.clientId());
            if (newer(e, known)) {
                if (e.removed()) {
                    mine.remove(e.clientId());
                    seen.put(e.clientId(), null);
                } else {
                    mine.add(e.clientId());
                    seen.put(e.clientId(), e);
                }
            }
        }
        return mine.size();
    }

    private static boolean newer(AwarenessUpdate.Entry e, AwarenessUpdate.Entry known) {
        return known == null || e.clock() > known.clock() || (e.clock() == known.clock() && e.removed());
    }

    /**
     * Records an awareness update from {@code peer} ({@code null} for another front's clients); returns the
     * entries that are newer than what was known.
     */
    AwarenessUpdate acceptAwareness(DocumentPeer peer, AwarenessUpdate update) {
        List<AwarenessUpdate.Entry> accepted = new ArrayList<>();
        long now = System.nanoTime();
        for (AwarenessUpdate.Entry e : update.entries()) {
            if (peer == null) {
                if (e.removed()) {
                    remoteSeen.remove(e.clientId());
                } else {
                    remoteSeen.put(e.clientId(), now);
                }
            }
            AwarenessUpdate.Entry known = awareness.get(e.clientId());
            if (newer(e, known)) {
                accepted.add(e);
                if (e.removed()) {
                    awareness.remove(e.clientId());
                    Set<Long> mine = peerClients.get(peer);
                    if (mine != null) {
                        mine.remove(e.clientId());
                    }
                } else {
                    awareness.put(e.clientId(), e);
                    if (peer != null) { // null: a client of another front
                        peerClients.computeIfAbsent(peer, p -> new HashSet<>()).add(e.clientId());
                    }
                }
            } else if (e.clock() == known.clock()) {
                accepted.add(e); // a renewal: echo it so the sender's provider sees traffic (its 30 s silence check)
            }
        }
        return new AwarenessUpdate(accepted);
    }

    /**
     * Drops the states of other fronts' clients not renewed since {@code cutoffNanos}: when a front dies, nobody
     * sends their removal, and this front would otherwise hand them to every client that joins later. Returns
     * the removal to send to this front's connections, or null.
     */
    byte[] expireRemote(long cutoffNanos) {
        List<AwarenessUpdate.Entry> removals = new ArrayList<>();
        remoteSeen.entrySet().removeIf(seen -> {
            if (seen.getValue() - cutoffNanos >= 0) {
                return false;
            }
            AwarenessUpdate.Entry last = awareness.remove(seen.getKey());
            if (last != null) {
                removals.add(new AwarenessUpdate.Entry(seen.getKey(), last.clock() + 1, "null"));
            }
            return true;
        });
        return removals.isEmpty() ? null : new AwarenessUpdate(removals).encode();
    }

    byte[] awarenessSnapshot() {
        return awareness.isEmpty() ? null : new AwarenessUpdate(new ArrayList<>(awareness.values())).encode();
    }
}
