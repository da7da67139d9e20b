package dev.quire.persister;

import dev.quire.persister.postgres.PostgresProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per document, what is not yet in a snapshot: how many updates, since when, up to which offset. Loaded
 * lazily from PostgreSQL the first time a document is seen, then kept up to date from each committed
 * batch. Changes of a batch are staged and only kept once its transaction committed.
 */
final class SnapshotTracker {
    /** The unsnapshotted tail of one document. */
    static final class DocState {
        final String document;
        final int partition;
        long pendingCount;
        Instant oldestPending;
        long lastOffset;

        DocState(String document, int partition, long pendingCount, Instant oldestPending, long lastOffset) {
            this.document = document;
            this.partition = partition;
            this.pendingCount = pendingCount;
            this.oldestPending = oldestPending;
            this.lastOffset = lastOffset;
        }

        DocState copy() {
            return new DocState(document, partition, pendingCount, oldestPending, lastOffset);
        }
    }

    private final Map<String, DocState> docs = new HashMap<>();
    private final PostgresProjection projection;

    SnapshotTracker(PostgresProjection projection) {
        this.projection = projection;
    }

    /**
     * The state of {@code document} after a batch that added {@code count} of its updates (already inserted
     * through {@code c}). A document not seen before is read from PostgreSQL, which counts those rows too.
     * The result is a copy: it replaces the kept state only through {@link #commit}.
     */
    DocState stage(Connection c, String document, int partition, long count, Instant oldest, long lastOffset) throws SQLException {
        DocState known = docs.get(document);
        if (known == null) {
            PostgresProjection.SnapshotHead head = projection.latestSnapshot(c, document);
            PostgresProjection.Pending p = projection.pending(c, document, head.upToOffset());
            return new DocState(document, partition, p.count(), p.oldest(), Math.max(p.lastOffset(), head.upToOffset()));
        }
        DocState s = known.copy();
        s.pendingCount += count;
        if (s.oldestPending == null) {
            s.oldestPending = oldest;
        }
        s.lastOffset = Math.max(s.lastOffset, lastOffset);
        return s;
    }

    /** Keeps the staged states of a committed batch. */
    void commit(Map<String, DocState> staged) {
        docs.putAll(staged);
    }

    /** Documents with unsnapshotted updates older than {@code before}, on the given partitions. */
    List<DocState> stale(Instant before, java.util.Set<Integer> partitions) {
        List<DocState> out = new ArrayList<>();
        for (DocState s : docs.values()) {
            if (s.pendingCount > 0 && s.oldestPending != null && !s.oldestPending.isAfter(before) && partitions.contains(s.partition)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Forgets documents of partitions this persister no longer owns (another one may write them now). */
    void forgetPartitions(java.util.Collection<Integer> partitions) {
        docs.values().removeIf(s -> partitions.contains(s.partition));
    }

    void forgetAll() {
        docs.clear();
    }
}
