package dev.quire.server.hub;

import dev.quire.core.DocumentNames;
import dev.quire.server.kafka.KafkaUpdateLog;
import dev.quire.server.kafka.TailConsumer.LogRecord;
import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.ProtocolException;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents a front holds. A document is loaded on its first connection (newest snapshot plus the
 * Kafka records after it; messages that arrive meanwhile wait), receives the other fronts' updates from
 * the tail consumer, and is unloaded a while after its last connection left.
 *
 * <p>A client update is validated, applied and broadcast to every connection of the document (the sender
 * included, as Hocuspocus does), and written to Kafka; the sender's SyncStatus acknowledgement is sent only
 * once Kafka acknowledged the write. When Kafka is slow or down, acknowledgements wait (the provider keeps its
 * unsynced changes) in a bounded buffer; an update that finds the buffer full is refused before it is applied,
 * and a write that fails drops the front's copy of the document: either way the connections are reset, so the
 * providers reconnect and re-send their unacknowledged changes through the sync handshake.
 */
public final class DocumentHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentHub.class);

    private final ConcurrentHashMap<String, HubDocument> documents = new ConcurrentHashMap<>();
    private final DocumentLoader loader;
    private final KafkaUpdateLog log;
    private final ExecutorService pool;
    private final ExecutorService loaders;
    private final StateSender stateSender;
    private final ScheduledExecutorService timers;
    private final Duration unloadAfter;
    private volatile AwarenessBus bus = AwarenessBus.local();
    final AtomicLong updatesIn = new AtomicLong();
    final AtomicLong updatesFromLog = new AtomicLong();
    final AtomicLong updatesOut = new AtomicLong();
    final AtomicLong updatesRelayed = new AtomicLong();
    /** Other fronts' updates that Kafka brought before the relay did (all of them when Redis is off). */
    final AtomicLong updatesLogFirst = new AtomicLong();
    /** Updates refused since the buffer of pending writes last had room (0 while Kafka keeps up). */
    private final AtomicLong refusedStreak = new AtomicLong();

    public DocumentHub(DocumentLoader loader, KafkaUpdateLog log, ExecutorService pool, ExecutorService loaders,
                       ScheduledExecutorService timers, Duration unloadAfter) {
        this.loader = loader;
        this.log = log;
        this.pool = pool;
        this.loaders = loaders;
        this.stateSender = new StateSender(loaders);
        this.timers = timers;
        this.unloadAfter = unloadAfter;
        Periodic.every(timers, 5_000, "expiring other fronts' awareness", this::expireRemoteAwareness);
    }

    /** y-protocols' awareness timeout: a client's state not renewed for this long is gone. */
    static final Duration AWARENESS_TIMEOUT = Duration.ofSeconds(30);

    /** Other fronts' clients that stopped renewing (their front died) are removed here too. */
    private void expireRemoteAwareness() {
        long cutoff = System.nanoTime() - AWARENESS_TIMEOUT.toNanos();
        for (HubDocument d : documents.values()) {
            d.executor.execute(() -> {
                if (d.loaded && !d.unloaded) {
                    byte[] removal = d.expireRemote(cutoff);
                    if (removal != null) {
                        d.broadcastAwareness(removal);
                    }
                }
            });
        }
    }

    /** Connects the hub to other fronts' awareness (before clients connect). */
    public void useAwarenessBus(AwarenessBus bus) {
        this.bus = bus;
        bus.start(this::remoteAwareness);
        bus.onDocumentUpdates(this::relayedUpdate);
    }

    /**
     * An update another front's client made, relayed through the bus before Kafka brings it: applied and sent to
     * this front's connections at once; the Kafka copy that follows changes nothing (see {@link #onLogRecord}).
     */
    void relayedUpdate(String document, byte[] update) {
        HubDocument d = documents.get(document);
        if (d == null) {
            return;
        }
        updatesRelayed.incrementAndGet();
        applyRemote(d, update, Source.RELAY);
    }

    /**
     * An awareness update from another front: relayed to this front's connections of the document. A state that is
     * not JSON is dropped (counted in {@link #remoteAwarenessDropped}), as a client's would be refused: a front of an
     * older version, or anything else that writes to these Redis names, must not break this front's providers.
     */
    void remoteAwareness(String document, byte[] bytes) {
        HubDocument d = documents.get(document);
        if (d == null) {
            return;
        }
        AwarenessUpdate update;
        try {
            update = AwarenessUpdate.decode(bytes);
        } catch (ProtocolException e) {
            LOG.warn("ignoring a malformed awareness update of {} from another front: {}", document, e.getMessage());
            return;
        }
        List<AwarenessUpdate.Entry> valid = new ArrayList<>(update.entries().size());
        for (AwarenessUpdate.Entry e : update.entries()) {
            try {
                valid.add(new AwarenessUpdate.Entry(e.clientId(), e.clock(), AwarenessUpdate.checkState(e.clientId(), e.state())));
            } catch (ProtocolException x) {
                // per state, not per message: a front's read of the Redis hash brings every other front's clients at once
                remoteAwarenessDropped.incrementAndGet();
                LOG.warn("dropping an awareness state of {} from another front: {}", document, x.getMessage());
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        AwarenessUpdate checked = new AwarenessUpdate(valid);
        d.executor.execute(() -> {
            if (d.unloaded) {
                return;
            }
            AwarenessUpdate accepted = d.acceptAwareness(null, checked);
            if (!accepted.entries().isEmpty()) {
                d.broadcastAwareness(accepted.encode());
            }
        });
    }

    private final AtomicLong remoteAwarenessDropped = new AtomicLong();

    /** Awareness states from other fronts dropped because they are not JSON, since start. */
    public long remoteAwarenessDropped() {
        return remoteAwarenessDropped.get();
    }

    public int openDocuments() {
        return documents.size();
    }

    /** Updates received from clients since start. */
    public long updatesIn() {
        return updatesIn.get();
    }

    /** Update frames sent to clients since start. */
    public long updatesOut() {
        return updatesOut.get();
    }

    /** Updates of loaded documents relayed from other fronts (ahead of Kafka) since start. */
    public long updatesRelayed() {
        return updatesRelayed.get();
    }

    /** Other fronts' updates that reached this front's clients through Kafka, ahead of (or without) the relay. */
    public long updatesLogFirst() {
        return updatesLogFirst.get();
    }

    /** Records of loaded documents received from the log since start. */
    public long updatesFromLog() {
        return updatesFromLog.get();
    }

    /** Runs {@code work} on the document once it is loaded (loading it first if needed). */
    private void withDocument(String name, java.util.function.Consumer<HubDocument> work) {
        HubDocument d = documents.computeIfAbsent(name, n -> {
            String invalid = DocumentNames.problem(n);
            if (invalid != null) { // the endpoints refuse such names first; this keeps any new path from skipping the rule
                throw new IllegalArgumentException(invalid);
            }
            SerialExecutor executor = new SerialExecutor(pool);
            HubDocument created = new HubDocument(n, executor, updatesOut);
            executor.onError(e -> drop(created, "a task of the document failed with " + e));
            loaders.execute(() -> load(created));
            bus.subscribe(n);
            return created;
        });
        d.executor.execute(() -> {
            if (d.unloaded) {
                withDocument(name, work); // unloaded in between: start over on a fresh load
            } else if (!d.loaded) {
                d.waiting.add(() -> work.accept(d));
            } else {
                work.accept(d);
            }
        });
    }

    private void load(HubDocument d) {
        List<byte[]> state;
        try {
            state = loader.load(d.name);
        } catch (RuntimeException e) {
            LOG.error("could not load document {}: {}", d.name, e.toString());
            d.executor.execute(() -> {
                d.unloaded = true;
                documents.remove(d.name, d);
                for (DocumentPeer p : d.peers) {
                    p.reset("could not load the document (" + e.getClass().getSimpleName() + "); reconnect to retry");
                }
                d.waiting = List.of();
            });
            return;
        }
        d.executor.execute(() -> {
            for (byte[] u : state) {
                d.applyFromLog(u);
            }
            for (byte[] u : d.buffered) {
                d.applyFromLog(u);
            }
            d.buffered = null;
            d.loaded = true;
            List<Runnable> waiting = d.waiting;
            d.waiting = null;
            waiting.forEach(Runnable::run);
        });
    }

    /** A peer joins a document: it gets the current awareness of the document's clients. */
    public void attach(DocumentPeer peer, String document) {
        withDocument(document, d -> {
            if (d.unloadTimer != null) {
                d.unloadTimer.cancel(false);
                d.unloadTimer = null;
            }
            d.peers.add(peer);
            byte[] snapshot = d.awarenessSnapshot();
            if (snapshot != null) {
                peer.sendAwareness(snapshot);
            }
        });
    }

    /** SyncStep1 from a client: our own SyncStep1, then what it lacks (SyncStep2). */
    public void syncStep1(DocumentPeer peer, String document, byte[] stateVector) {
        withDocument(document, d -> {
            peer.sendSyncStep1(d.doc.encodeStateVector());
            byte[] diff;
            try {
                diff = d.doc.encodeStateAsUpdate(stateVector);
            } catch (MalformedUpdateException e) {
                peer.closeDocument("invalid state vector: " + e.getMessage());
                return;
            }
            stateSender.send(d, peer, stateVector, diff);
        });
    }

    /** An update (or SyncStep2) from a client. */
    public void update(DocumentPeer peer, String document, byte[] update) {
        if (!peer.readOnly()) {
            try {
                // before it is decoded, applied or broadcast: the log would refuse it after every client had it, and each
                // would re-send it on reconnect (a reset loop for everyone on the document)
                log.checkSize(update);
            } catch (KafkaUpdateLog.UpdateTooLargeException e) {
                throw new ProtocolException(dev.quire.server.protocol.CloseCode.MESSAGE_TOO_BIG, e.getMessage(), e);
            }
        }
        try {
            Updates.validate(update, UpdateFormat.V1);
        } catch (MalformedUpdateException e) {
            throw new ProtocolException(dev.quire.server.protocol.CloseCode.RESET_CONNECTION, "invalid Yjs update: " + e.getMessage(), e);
        }
        updatesIn.incrementAndGet();
        withDocument(document, d -> {
            if (!d.peers.contains(peer)) {
                return; // the connection was closed meanwhile
            }
            if (peer.readOnly()) {
                // as Hocuspocus: refused, unless it brings nothing new
                boolean known = Updates.diffUpdate(update, d.doc.encodeStateVector()).length <= 2 && !bringsDeletes(update);
                d.sendSyncStatus(peer, known);
                return;
            }
            KafkaUpdateLog.Slot slot;
            try {
                slot = log.reserve(); // before applying: a refused change must not stay in this front's memory only
            } catch (KafkaUpdateLog.BufferFullException e) {
                refuse(peer, document, e);
                return;
            }
            boolean isNew = false;
            boolean applied = false;
            try {
                isNew = d.apply(update); // also when it waits for structs not here yet: stored and forwarded all the same
                applied = true;
            } catch (MalformedUpdateException e) { // decodes, but cannot be integrated (too deeply nested types, say)
                LOG.info("refusing an update of {} from {}: {}", d.name, peer.id(), e.getMessage());
                peer.closeDocument("invalid Yjs update: " + e.getMessage());
                return;
            } finally {
                if (!applied || !isNew) {
                    slot.release(); // in finally: an Error must not leak a place among the pending writes
                }
            }
            if (!isNew) {
                // already in the document: acknowledged once the write that brought it (or a later one) is stored
                d.lastWrite.whenComplete((pos, e) -> {
                    if (e == null) {
                        d.executor.execute(() -> d.sendSyncStatus(peer, true));
                    }
                });
                return;
            }
            d.broadcastUpdate(update);
            CompletableFuture<KafkaUpdateLog.Position> write = relayAndWrite(d, slot, document, update, peer.id());
            d.lastWrite = write;
            write.whenComplete((pos, e) -> d.executor.execute(() -> {
                if (e == null) {
                    writeStored();
                    d.sendSyncStatus(peer, true);
                } else {
                    writeFailed(d, e);
                }
            }));
        });
    }

    /**
     * Relays an applied update to the other fronts and writes it to Kafka, in a task behind the flush that broadcasts
     * it (queued by broadcastUpdate, or earlier): both wake other threads, which on a busy machine would take the CPU
     * before this front's sockets get the broadcast. The returned write exists at once, so that later work of the
     * document can wait for it.
     */
    private CompletableFuture<KafkaUpdateLog.Position> relayAndWrite(HubDocument d, KafkaUpdateLog.Slot slot, String document,
                                                                     byte[] update, String connectionId) {
        CompletableFuture<KafkaUpdateLog.Position> write = new CompletableFuture<>();
        d.executor.execute(() -> {
            bus.publishUpdate(document, update); // other fronts' clients get it without waiting for Kafka
            try {
                slot.append(document, update, connectionId).whenComplete((pos, e) -> {
                    if (e == null) {
                        write.complete(pos);
                    } else {
                        write.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                write.completeExceptionally(e);
            }
        });
        return write;
    }

    /** The buffer of pending writes is full: the update was not applied; its client reconnects and re-sends it. */
    private void refuse(DocumentPeer peer, String document, KafkaUpdateLog.BufferFullException e) {
        if (refusedStreak.getAndIncrement() == 0) {
            LOG.warn("Kafka is not keeping up: {}; refusing client updates (their connections are reset so the providers "
                    + "re-send them) until writes are acknowledged again", e.getMessage());
        }
        peer.reset("the change could not be stored now (" + e.getMessage() + "); reconnect to retry");
    }

    private void writeStored() {
        if (refusedStreak.get() > 0) {
            long n = refusedStreak.getAndSet(0);
            if (n > 0) {
                LOG.info("Kafka acknowledges writes again; {} client updates were refused meanwhile", n);
            }
        }
    }

    /**
     * A write that was already applied and broadcast failed: this front's copy of the document holds a change the
     * log does not. The document is dropped and its connections reset; they reconnect, the document is rebuilt
     * from the log, and the clients' sync handshakes re-send whatever the log lacks.
     */
    private void writeFailed(HubDocument d, Throwable e) {
        if (d.unloaded) {
            return;
        }
        LOG.error("a write of {} to Kafka failed ({}); resetting its {} connections and reloading it so the clients re-send "
                + "what the log lacks", d.name, e.toString(), d.peers.size());
        drop(d, "the change could not be stored (" + e.getClass().getSimpleName() + "); reconnect to retry");
    }

    /**
     * Forgets this front's copy of a document and resets its connections: they reconnect, the document is rebuilt from
     * the log, and the clients' sync handshakes re-send whatever the log lacks. Runs on the document's executor.
     */
    private void drop(HubDocument d, String why) {
        if (d.unloaded) {
            return;
        }
        d.unloaded = true;
        documents.remove(d.name, d);
        bus.unsubscribe(d.name);
        for (DocumentPeer p : List.copyOf(d.peers)) {
            p.reset(why);
        }
    }

    private static boolean bringsDeletes(byte[] update) {
        return !Updates.decodeUpdate(update).deleteSet().isEmpty();
    }

    /** Defaults of QUIRE_MAX_AWARENESS_CLIENTS and QUIRE_MAX_AWARENESS_STATE_BYTES. */
    public static final int DEFAULT_MAX_AWARENESS_CLIENTS = 8;
    public static final int DEFAULT_MAX_AWARENESS_STATE_BYTES = 64 * 1024;
    private volatile int maxAwarenessClients = DEFAULT_MAX_AWARENESS_CLIENTS;
    private volatile int maxAwarenessStateBytes = DEFAULT_MAX_AWARENESS_STATE_BYTES;

    /**
     * Caps the awareness one document connection may keep (before clients connect): client ids, and bytes per state.
     * Without caps one connection, read-only is enough, could fill the heap of every front.
     */
    public void limitAwareness(int maxClients, int maxStateBytes) {
        this.maxAwarenessClients = maxClients;
        this.maxAwarenessStateBytes = maxStateBytes;
    }

    /**
     * An awareness update from a client: kept and relayed to every connection of the document, the sender included.
     * Everything is checked before anything is kept or relayed: a state that is not JSON or too large throws (the
     * endpoint closes the document connection), and one client id beyond the cap closes the document connection.
     */
    public void awareness(DocumentPeer peer, String document, byte[] bytes) {
        AwarenessUpdate update = AwarenessUpdate.decodeChecked(bytes, maxAwarenessStateBytes);
        int maxClients = maxAwarenessClients;
        withDocument(document, d -> {
            if (!d.peers.contains(peer)) {
                return; // closed meanwhile: what it kept was removed when it left, and nothing would remove this
            }
            if (d.clientsAfter(peer, update) > maxClients) {
                String reason = "awareness of more than " + maxClients + " client ids on one connection (QUIRE_MAX_AWARENESS_CLIENTS)";
                LOG.info("closing document connection {} of {}: {}", peer.id(), document, reason);
                peer.closeDocument(reason);
                return;
            }
            AwarenessUpdate accepted = d.acceptAwareness(peer, update);
            if (!accepted.entries().isEmpty()) {
                byte[] encoded = accepted.encode();
                d.broadcastAwareness(encoded);
                bus.publish(document, encoded);
            }
        });
    }

    /** A peer leaves: its clients' awareness is removed everywhere at once; the document unloads later if empty. */
    public void detach(DocumentPeer peer, String document) {
        HubDocument d = documents.get(document);
        if (d == null) {
            return;
        }
        d.executor.execute(() -> {
            if (d.waiting != null) {
                d.waiting.add(() -> detachLoaded(d, peer));
            } else {
                detachLoaded(d, peer);
            }
        });
    }

    private void detachLoaded(HubDocument d, DocumentPeer peer) {
        byte[] removal = d.remove(peer);
        if (removal != null) {
            d.broadcastAwareness(removal);
            bus.publish(d.name, removal);
        }
        if (d.peers.isEmpty() && !d.unloaded) {
            d.unloadTimer = timers.schedule(() -> d.executor.execute(() -> {
                if (d.peers.isEmpty() && !d.unloaded) {
                    d.unloaded = true;
                    documents.remove(d.name, d);
                    bus.unsubscribe(d.name);
                    LOG.debug("unloaded {}", d.name);
                }
            }), unloadAfter.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A record of the log (any front's): applied to the document if this front holds it. */
    public void onLogRecord(LogRecord r) {
        HubDocument d = documents.get(r.document());
        if (d == null) {
            return;
        }
        updatesFromLog.incrementAndGet();
        boolean own = log.frontId().equals(r.origin()); // our own write was applied when the client sent it
        if (own && d.loaded) {
            return; // nothing to do: spare the document's thread the hand-off (one per edit)
        }
        applyRemote(d, r.update(), own ? Source.OWN_RECORD : Source.LOG);
    }

    /** Where an update from elsewhere came from. */
    private enum Source {
        /** Another front, through Redis ahead of Kafka. */
        RELAY,
        /** Another front's record in Kafka. */
        LOG,
        /** This front's own record in Kafka: applied when its client sent it, needed only by a load in progress. */
        OWN_RECORD
    }

    /**
     * Applies an update from elsewhere (the log, or another front's relay) to a document of this front, and sends
     * it to the document's connections if it was new. While the document loads it waits with the other records.
     */
    private void applyRemote(HubDocument d, byte[] update, Source source) {
        d.executor.execute(() -> {
            if (d.unloaded) {
                return;
            }
            if (!d.loaded) {
                d.buffered.add(update);
            } else if (source != Source.OWN_RECORD && d.applyFromLog(update)) {
                if (source == Source.LOG) {
                    updatesLogFirst.incrementAndGet();
                }
                d.broadcastUpdate(update);
            }
        });
    }

    @Override
    public void close() {
        documents.clear();
    }
}
