package dev.quire.persister;

import dev.quire.core.DocumentNames;
import dev.quire.persister.postgres.PostgresProjection;
import dev.quire.persister.postgres.PostgresProjection.HistoryRow;
import dev.quire.persister.postgres.PostgresProjection.QuarantinedRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persister's consume loop, run by one thread ({@link #run}): poll a batch, write it to PostgreSQL in
 * one transaction (history rows, quarantined records, the new positions and the snapshots that became
 * due), then poll again. Positions live in PostgreSQL only; on every assignment the consumer seeks to
 * them. Each transaction first locks the positions it advances and skips records below them, so a
 * consumer that lost its partitions in a rebalance cannot write a row twice.
 *
 * <p>A failing database rolls the batch back, seeks back to the stored positions and retries with
 * back-off; the loop never dies of it. Records that are not Yjs updates are quarantined, never retried.
 * A batch PostgreSQL refuses with a data error ({@link SqlErrors#isDataError}: it would refuse it again at every
 * retry) is written again in halves, each half a transaction of its own with the same position bookkeeping, down
 * to the records it refuses alone, which are quarantined as {@code UNSTORABLE}; a snapshot it refuses is undone
 * to a savepoint and left for the document's next trigger. Neither blocks a partition.
 */
final class PersisterLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersisterLoop.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final DataSource ds;
    private final PostgresProjection projection;
    private final SnapshotTracker tracker;
    private final PersisterSettings settings;
    private final PersisterMetrics metrics;
    private final Clock clock;
    private final Set<Integer> owned = new HashSet<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private Duration backoff = Duration.ZERO;
    private volatile String lastFailure;
    private boolean rewindNeeded;
    private Instant lastReport;
    private long persistedSinceReport;

    PersisterLoop(Consumer<byte[], byte[]> consumer, String topic, DataSource ds, PersisterSettings settings,
                  PersisterMetrics metrics, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.ds = ds;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.projection = new PostgresProjection(settings.group(), topic);
        this.tracker = new SnapshotTracker(projection);
        this.lastReport = clock.instant();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!closed) {
                if (rewindNeeded) {
                    tryRewind();
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // the rebalance listener could not read positions: nothing was consumed, rewind when PostgreSQL answers
                    onDatabaseFailure(owned, e);
                    continue;
                }
                if (!records.isEmpty()) {
                    persist(records);
                }
                snapshotStaleDocuments();
                measureLag();
                report();
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                stopped.countDown();
            }
        }
    }

    /** Assignment changes: seek to the positions stored in PostgreSQL. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> owned.add(tp.partition()));
            metrics.assignedPartitions.set(owned.size());
            seekToStored(partitions);
            LOG.info("assigned partitions {} of {}", partitions.stream().map(TopicPartition::partition).sorted().toList(), topic);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<Integer> ps = partitions.stream().map(TopicPartition::partition).toList();
            owned.removeAll(ps);
            tracker.forgetPartitions(ps);
            metrics.assignedPartitions.set(owned.size());
            if (owned.isEmpty()) {
                metrics.lag.set(-1); // nothing to be behind on: not measured (NaN) rather than a stale figure
            }
            LOG.info("revoked partitions {} of {}", ps.stream().sorted().toList(), topic);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    private void seekToStored(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<Integer, Long> stored;
        try (Connection c = ds.getConnection()) {
            stored = projection.positions(c, partitions.stream().map(TopicPartition::partition).toList(), false);
        } catch (SQLException e) {
            // without positions we cannot know where to start: fail the poll; it is retried, nothing is written
            metrics.databaseErrors.increment();
            throw new IllegalStateException("cannot read consumed positions from PostgreSQL: " + e.getMessage(), e);
        }
        List<TopicPartition> fromStart = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp.partition());
            if (next == null) {
                fromStart.add(tp);
            } else {
                consumer.seek(tp, next);
            }
        }
        if (!fromStart.isEmpty()) {
            consumer.seekToBeginning(fromStart);
        }
    }

    private void persist(ConsumerRecords<byte[], byte[]> records) {
        long start = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> ordered = new ArrayList<>(records.count());
        records.forEach(ordered::add);
        Set<Integer> partitions = byPartition(ordered).keySet();
        try {
            try {
                writeAndCommit(ordered);
            } catch (SQLException e) {
                if (!SqlErrors.isDataError(e)) {
                    throw e;
                }
                metrics.dataErrors.increment();
                LOG.warn("PostgreSQL refused a batch of {} records of partitions {} ({}); writing it again in halves to set aside "
                        + "the records it cannot store", ordered.size(), partitions, SqlErrors.describe(e));
                isolate(ordered, e);
            }
            onBatchStored();
        } catch (SQLException | RuntimeException e) {
            onDatabaseFailure(partitions, e);
        } finally {
            metrics.batch.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> out = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            out.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Writes {@code records} (in partition order, each partition's in offset order) in one transaction and commits it. */
    private void writeAndCommit(List<ConsumerRecord<byte[], byte[]>> records) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Batch batch = write(c, byPartition(records));
                c.commit();
                tracker.commit(batch.staged);
                batch.newPositions.forEach((p, next) -> {
                    long at = consumer.position(new TopicPartition(topic, p));
                    if (next > at) {
                        consumer.seek(new TopicPartition(topic, p), next); // another consumer was ahead of us
                    }
                });
                metrics.persisted.increment(batch.rows);
                metrics.quarantined.increment(batch.quarantined);
                metrics.duplicates.increment(batch.duplicates);
                metrics.snapshotsByCount.increment(batch.snapshots);
                persistedSinceReport += batch.rows;
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        }
    }

    /**
     * {@code records} failed with {@code error}, a data error: writes their two halves one after the other, each in
     * its own transaction, splitting again a half that fails with a data error, down to the single records that
     * PostgreSQL refuses alone, which are quarantined. The halves keep the records' order, and each transaction
     * locks, skips below and advances the stored positions like any batch, so every record is still stored once
     * (a poison record among n costs about 2 log2(n) transactions). Any other error is thrown: the batch then
     * rewinds to the positions stored so far, as for an outage.
     */
    private void isolate(List<ConsumerRecord<byte[], byte[]>> records, SQLException error) throws SQLException {
        if (records.size() == 1) {
            quarantineUnstorable(records.get(0), error);
            return;
        }
        int half = records.size() / 2;
        for (List<ConsumerRecord<byte[], byte[]>> part : List.of(records.subList(0, half), records.subList(half, records.size()))) {
            try {
                writeAndCommit(part);
            } catch (SQLException e) {
                if (!SqlErrors.isDataError(e)) {
                    throw e;
                }
                isolate(part, e);
            }
        }
    }

    /** Quarantines {@code r}, which PostgreSQL refused alone with {@code error}, and moves its partition's position past it. */
    private void quarantineUnstorable(ConsumerRecord<byte[], byte[]> r, SQLException error) throws SQLException {
        String detail = "PostgreSQL refused to store the record (" + SqlErrors.describe(error) + ")";
        try {
            commitQuarantined(r, RecordClassifier.unstorable(r, detail));
        } catch (SQLException e) {
            if (!SqlErrors.isDataError(e)) {
                throw e;
            }
            // what it refuses may be in the quarantined row too (its timestamp, its headers); if even the bare row is
            // refused, the error goes up as an outage: a record is never skipped without a trace
            commitQuarantined(r, RecordClassifier.unstorableBare(r, detail));
        }
    }

    private void commitQuarantined(ConsumerRecord<byte[], byte[]> r, QuarantinedRow row) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                long floor = projection.positions(c, List.of(r.partition()), true).getOrDefault(r.partition(), 0L);
                boolean stored = r.offset() < floor; // by another consumer meanwhile
                if (!stored) {
                    projection.insertQuarantined(c, List.of(row));
                    projection.savePosition(c, r.partition(), r.offset() + 1);
                }
                c.commit();
                if (stored) {
                    metrics.duplicates.increment();
                    return;
                }
                metrics.quarantined.increment();
                LOG.warn("quarantined record {}-{}@{}: {} {}", topic, r.partition(), r.offset(), row.reason(), row.detail());
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        }
    }

    /** What one batch wrote. */
    private static final class Batch {
        final Map<String, SnapshotTracker.DocState> staged = new HashMap<>();
        final Map<Integer, Long> newPositions = new HashMap<>();
        int rows;
        int quarantined;
        int duplicates;
        int snapshots;
    }

    private Batch write(Connection c, Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition) throws SQLException {
        Batch b = new Batch();
        Map<Integer, Long> stored = projection.positions(c, new ArrayList<>(byPartition.keySet()), true);
        List<HistoryRow> rows = new ArrayList<>();
        List<QuarantinedRow> quarantined = new ArrayList<>();
        for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> e : byPartition.entrySet()) {
            long floor = stored.getOrDefault(e.getKey(), 0L);
            long next = floor;
            for (ConsumerRecord<byte[], byte[]> r : e.getValue()) {
                if (r.offset() < floor) {
                    b.duplicates++; // already persisted (by us before a crash, or by another consumer)
                    continue;
                }
                RecordClassifier.Result res = RecordClassifier.classify(r);
                if (res.row() != null) {
                    rows.add(res.row());
                } else {
                    quarantined.add(res.quarantined());
                    LOG.warn("quarantined record {}-{}@{}: {} {}", topic, r.partition(), r.offset(), res.quarantined().reason(),
                            res.quarantined().detail());
                }
                next = r.offset() + 1;
            }
            b.newPositions.put(e.getKey(), next);
        }
        b.rows = projection.insertHistory(c, rows);
        b.duplicates += rows.size() - b.rows;
        b.quarantined = quarantined.size();
        projection.insertQuarantined(c, quarantined);
        for (Map.Entry<Integer, Long> e : b.newPositions.entrySet()) {
            projection.savePosition(c, e.getKey(), e.getValue());
        }
        // per document: count this batch's rows, then snapshot those that reached the threshold
        Map<String, List<HistoryRow>> byDoc = new LinkedHashMap<>();
        for (HistoryRow r : rows) {
            byDoc.computeIfAbsent(r.document(), d -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<HistoryRow>> e : byDoc.entrySet()) {
            List<HistoryRow> docRows = e.getValue();
            HistoryRow last = docRows.get(docRows.size() - 1);
            SnapshotTracker.DocState s = tracker.stage(c, e.getKey(), last.partition(), docRows.size(), docRows.get(0).timestamp(),
                    last.offset());
            if (s.pendingCount >= settings.snapshotEveryUpdates()) {
                int moved = snapshotUnlessRefused(c, s);
                if (moved >= 0) {
                    b.quarantined += moved;
                    b.snapshots++;
                }
            }
            b.staged.put(e.getKey(), s);
        }
        return b;
    }

    /**
     * Writes the snapshot of {@code s.document} up to its last offset through {@code c}; resets its pending count.
     * A history row that decodes but cannot be applied to the document is moved to the quarantine instead of
     * failing the batch (which would block the partition for ever); returns how many were moved.
     */
    private int snapshot(Connection c, SnapshotTracker.DocState s) throws SQLException {
        PostgresProjection.SnapshotHead head = projection.latestSnapshot(c, s.document);
        s.pendingCount = 0;
        s.oldestPending = null;
        if (head.upToOffset() >= s.lastOffset) {
            return 0;
        }
        List<PostgresProjection.UpdateRow> rows = projection.updateRows(c, s.document, head.upToOffset(), s.lastOffset);
        List<byte[]> updates = new ArrayList<>(rows.size());
        rows.forEach(r -> updates.add(r.update()));
        Snapshots.Folded folded = Snapshots.fold(head.state(), updates);
        PostgresProjection.UpdateRow last = null;
        for (int i = 0; i < rows.size(); i++) {
            PostgresProjection.UpdateRow r = rows.get(i);
            String error = folded.rejected().get(i);
            if (error == null) {
                last = r;
                continue;
            }
            LOG.warn("quarantined record {}-{}@{}: {} {}", topic, r.partition(), r.offset(), RecordClassifier.Reason.INAPPLICABLE_UPDATE,
                    error);
            projection.quarantineHistoryRow(c, r.partition(), r.offset(), RecordClassifier.Reason.INAPPLICABLE_UPDATE.name(),
                    "cannot be applied to the document after the updates before it: " + error
                    + " (moved out of the history when a snapshot was computed; of the headers only the origin was kept)");
        }
        if (last != null) {
            projection.insertSnapshot(c, s.document, last.partition(), last.offset(), folded.state().state(),
                    folded.state().stateVector(), head.updateCount() + rows.size() - folded.rejected().size());
        }
        return folded.rejected().size();
    }

    /**
     * {@link #snapshot}, undone to a savepoint when PostgreSQL refuses it with a data error (a state over one of its
     * limits, say): the updates are stored all the same, and the document's pending count is reset as if it had been
     * snapshotted, so the snapshot is tried again at its next trigger instead of at every batch. Returns how many
     * rows were moved to the quarantine, -1 when the snapshot was refused.
     */
    private int snapshotUnlessRefused(Connection c, SnapshotTracker.DocState s) throws SQLException {
        Savepoint before = c.setSavepoint();
        try {
            int moved = snapshot(c, s);
            c.releaseSavepoint(before);
            return moved;
        } catch (SQLException e) {
            if (!SqlErrors.isDataError(e)) {
                throw e;
            }
            c.rollback(before);
            s.pendingCount = 0;
            s.oldestPending = null;
            metrics.dataErrors.increment();
            LOG.error("PostgreSQL refused the snapshot of document {} up to {}-{}@{} ({}); its updates are stored, the snapshot is "
                    + "tried again at the next trigger", DocumentNames.forLog(s.document), topic, s.partition, s.lastOffset,
                    SqlErrors.describe(e));
            return -1;
        }
    }

    private void snapshotStaleDocuments() {
        Instant before = clock.instant().minus(settings.snapshotInterval());
        List<SnapshotTracker.DocState> stale = tracker.stale(before, owned);
        if (stale.isEmpty()) {
            return;
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            Map<String, SnapshotTracker.DocState> staged = new HashMap<>();
            int moved = 0;
            int snapshots = 0;
            try {
                for (SnapshotTracker.DocState s : stale) {
                    SnapshotTracker.DocState copy = s.copy();
                    int m = snapshotUnlessRefused(c, copy);
                    if (m >= 0) {
                        moved += m;
                        snapshots++;
                    }
                    staged.put(copy.document, copy);
                }
                c.commit();
                tracker.commit(staged);
                metrics.snapshotsByTime.increment(snapshots);
                metrics.quarantined.increment(moved);
            } catch (SQLException | RuntimeException e) {
                rollback(c);
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            metrics.databaseErrors.increment();
            LOG.warn("time-based snapshots failed, retried later: {}", e.toString());
        }
    }

    /**
     * PostgreSQL failed: the consumer is already past the failed batch, so consuming on would skip it. Pause
     * every partition until the stored positions can be read again and the consumer rewound to them.
     */
    private void onDatabaseFailure(Set<Integer> partitions, Exception e) {
        metrics.databaseErrors.increment();
        onFailure(e);
        backoff = backoff.isZero() ? Duration.ofMillis(200) : min(backoff.multipliedBy(2), MAX_BACKOFF);
        LOG.error("could not write a batch of partitions {} to PostgreSQL; pausing and retrying in {} ms: {}", partitions,
                backoff.toMillis(), e.toString());
        tracker.forgetAll(); // reload lazily from what committed
        consumer.pause(consumer.assignment());
        rewindNeeded = true;
        sleepQuietly(backoff);
    }

    /** Rewinds to the stored positions and resumes, once PostgreSQL answers again. */
    private void tryRewind() {
        try {
            seekToStored(consumer.assignment());
            consumer.resume(consumer.assignment());
            rewindNeeded = false;
            // the back-off is reset by the next committed batch, not here: reads may work while writes still fail
            LOG.info("PostgreSQL answers again: rewound to the stored positions and resumed");
        } catch (RuntimeException e) {
            onFailure(e); // the batch it would resume is not stored either
            backoff = min(backoff.isZero() ? Duration.ofMillis(200) : backoff.multipliedBy(2), MAX_BACKOFF);
            LOG.warn("PostgreSQL still unavailable, retrying in {} ms: {}", backoff.toMillis(), e.toString());
            sleepQuietly(backoff);
        }
    }

    private void onFailure(Exception e) {
        lastFailure = SqlErrors.summary(e);
        metrics.consecutiveFailures.incrementAndGet();
    }

    /** Every record of the batch is stored (or quarantined), its positions committed. */
    private void onBatchStored() {
        backoff = Duration.ZERO;
        metrics.consecutiveFailures.set(0);
    }

    /**
     * Why this loop is not ready (HTTP 503 on /health/ready), or null: {@link PersisterSettings#unreadyAfterFailures}
     * attempts in a row to store a batch failed (a failed rewind counts: it is the next try of that batch). Called from
     * any thread.
     */
    String notReadyReason() {
        long failures = metrics.consecutiveFailures.get();
        if (failures < settings.unreadyAfterFailures()) {
            return null;
        }
        return failures + " consecutive batches failed: " + lastFailure;
    }

    /**
     * The lag gauge, after every poll and the batch it brought (the consumer's own view: no request to the broker), so
     * that 0 means stored, not "not measured yet": until partitions are assigned and each has been fetched once it
     * keeps its last value (NaN at start and while it holds no partition).
     */
    private void measureLag() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (rewindNeeded || assigned.isEmpty()) {
            return; // the position is past a batch that was not stored, or nothing is assigned yet (before the join)
        }
        long lag = 0;
        for (TopicPartition tp : assigned) {
            var l = consumer.currentLag(tp);
            if (l.isEmpty()) {
                return;
            }
            lag += l.getAsLong();
        }
        metrics.lag.set(lag);
        if (lag == 0) {
            metrics.consecutiveFailures.set(0); // nothing is left to store (a failed read of positions leaves no batch to commit)
        }
    }

    private void report() {
        Instant now = clock.instant();
        Duration since = Duration.between(lastReport, now);
        if (since.compareTo(Duration.ofSeconds(10)) < 0) {
            return;
        }
        long lag = Math.max(0, metrics.lag.get());
        if (persistedSinceReport > 0 || lag > 0) {
            LOG.info("persisted {} updates in {} s ({} updates/s), lag {} records, partitions {}", persistedSinceReport,
                    since.toSeconds(), persistedSinceReport * 1000 / Math.max(1, since.toMillis()), lag, owned.size());
        }
        persistedSinceReport = 0;
        lastReport = now;
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the transaction dies with it
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Stops the loop (from any thread) and waits for it to close the consumer. */
    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
