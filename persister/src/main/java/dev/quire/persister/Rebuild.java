package dev.quire.persister;

import dev.quire.core.QuireException;
import dev.quire.persister.postgres.PostgresProjection;
import dev.quire.persister.postgres.PostgresProjection.StoredSnapshot;
import dev.quire.persister.postgres.PostgresProjection.UpdateRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * Recomputes the snapshots of every document (or one) from its history, which is what makes the
 * snapshots a projection and not the truth ({@code quire rebuild}).
 *
 * <p>For each document it walks the stored snapshots in offset order and recomputes each one exactly as
 * the live persister chained them: {@link Snapshots#compute} of the previous (recomputed) state and the
 * document's history rows after the previous snapshot up to this one. A recomputed snapshot that differs
 * from the stored one (state, state vector, update count or partition) replaces it; equal ones are left
 * untouched. A document with history but no snapshot gets one at its last offset. Each document is one
 * transaction that locks its snapshot rows, so a failing document changes nothing and the others go on.
 *
 * <pre>{@code
 * try (Database db = Database.open(new DatabaseSettings(Env.system()))) {
 *     Rebuild.Report report = new Rebuild(db.dataSource())
 *             .run(null, (done, total, document) -> System.err.println(done + "/" + total));
 *     System.out.println(report.differed() + " snapshots differed from the history and were replaced");
 * }
 * }</pre>
 *
 * <p>Run it while the persister runs if need be: rows are locked per document. A snapshot the live
 * persister is chaining onto at that very moment may still have been computed from the replaced bytes; a
 * second rebuild finds and replaces it.
 */
public final class Rebuild {
    /** Told after each document, on the thread that runs the rebuild. */
    @FunctionalInterface
    public interface Progress {
        /** Nothing is reported. */
        Progress NONE = (done, total, document) -> { };

        /** Before the first document: how many there are. */
        default void started(int total) {
        }

        /** {@code document} is done (rebuilt or failed): {@code done} of {@code total}. */
        void documentDone(int done, int total, String document);
    }

    /** A snapshot that was replaced or created: its document and offset. */
    public record SnapshotRef(String document, long upToOffset) {
    }

    /** A document whose rebuild failed (its transaction rolled back) and why. */
    public record Failure(String document, String reason) {
    }

    /**
     * What a rebuild did.
     *
     * @param documents  documents visited
     * @param recomputed snapshots recomputed (existing ones plus created ones)
     * @param differed   existing snapshots that differed from their recomputation and were replaced
     * @param created    snapshots written for documents that had none
     * @param failures   documents that could not be rebuilt
     */
    public record Report(int documents, long recomputed, List<SnapshotRef> differed, List<SnapshotRef> created,
                         List<Failure> failures) {
        public Report {
            differed = List.copyOf(differed);
            created = List.copyOf(created);
            failures = List.copyOf(failures);
        }

        /** Whether every document was rebuilt. */
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** The document asked for has neither history nor snapshots. */
    public static final class UnknownDocumentException extends QuireException {
        private static final long serialVersionUID = 1L;

        public UnknownDocumentException(String document) {
            super("unknown document '" + document + "': it has no history and no snapshot");
        }
    }

    /** The history lacks rows a stored snapshot folds, so the snapshot cannot be recomputed (and is kept). */
    static final class IncompleteHistoryException extends QuireException {
        private static final long serialVersionUID = 1L;

        IncompleteHistoryException(String message) {
            super(message);
        }
    }

    private record DocumentResult(int recomputed, List<SnapshotRef> differed, SnapshotRef created) {
    }

    private final DataSource ds;
    /** Only the snapshot and history methods are used; they do not depend on a consumer group or topic. */
    private final PostgresProjection projection = new PostgresProjection("", "");

    public Rebuild(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Rebuilds the snapshots of {@code document}, or of every document when it is {@code null}.
     *
     * @return what was recomputed, replaced, created, and which documents failed
     * @throws UnknownDocumentException when {@code document} has no history and no snapshot
     * @throws QuireException           when PostgreSQL cannot be reached (before or during the rebuild)
     */
    public Report run(String document, Progress progress) {
        List<String> documents = document == null ? listDocuments() : List.of(checkExists(document));
        progress.started(documents.size());
        long recomputed = 0;
        List<SnapshotRef> differed = new ArrayList<>();
        List<SnapshotRef> created = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            String d = documents.get(i);
            Connection c = connect(i, documents.size()); // none: stop here, every document would fail alike
            try (c) {
                DocumentResult r = rebuild(c, d);
                recomputed += r.recomputed();
                differed.addAll(r.differed());
                if (r.created() != null) {
                    created.add(r.created());
                }
            } catch (SQLException | RuntimeException e) {
                failures.add(new Failure(d, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            progress.documentDone(i + 1, documents.size(), d);
        }
        return new Report(documents.size(), recomputed, differed, created, failures);
    }

    /** Recomputes the snapshots of one document in one transaction of {@code c}. */
    private DocumentResult rebuild(Connection c, String document) throws SQLException {
        c.setAutoCommit(false);
        try {
            List<StoredSnapshot> stored = projection.lockSnapshots(c, document);
            List<SnapshotRef> differed = new ArrayList<>();
            byte[] previous = null;
            long previousOffset = -1;
            long previousCount = 0;
            for (StoredSnapshot s : stored) {
                List<UpdateRow> rows = projection.updateRows(c, document, previousOffset, s.upToOffset());
                if (rows.isEmpty() || rows.get(rows.size() - 1).offset() != s.upToOffset()) {
                    throw new IncompleteHistoryException("the history of '" + document + "' has no update at offset "
                            + s.upToOffset() + ", where a snapshot ends: that snapshot cannot be recomputed and was kept");
                }
                UpdateRow last = rows.get(rows.size() - 1);
                Snapshots.State state = Snapshots.compute(previous, bytes(rows));
                long count = previousCount + rows.size();
                if (!Arrays.equals(state.state(), s.state()) || !Arrays.equals(state.stateVector(), s.stateVector())
                        || count != s.updateCount() || last.partition() != s.partition()) {
                    projection.insertSnapshot(c, document, last.partition(), s.upToOffset(), state.state(), state.stateVector(), count);
                    differed.add(new SnapshotRef(document, s.upToOffset()));
                }
                previous = state.state();
                previousOffset = s.upToOffset();
                previousCount = count;
            }
            SnapshotRef created = null;
            if (stored.isEmpty()) {
                List<UpdateRow> rows = projection.updateRows(c, document, -1, Long.MAX_VALUE);
                if (!rows.isEmpty()) {
                    UpdateRow last = rows.get(rows.size() - 1);
                    Snapshots.State state = Snapshots.compute(null, bytes(rows));
                    projection.insertSnapshot(c, document, last.partition(), last.offset(), state.state(), state.stateVector(),
                            rows.size());
                    created = new SnapshotRef(document, last.offset());
                }
            }
            c.commit();
            return new DocumentResult(stored.size() + (created == null ? 0 : 1), differed, created);
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the transaction dies with it
            }
            throw e;
        }
    }

    private static List<byte[]> bytes(List<UpdateRow> rows) {
        List<byte[]> out = new ArrayList<>(rows.size());
        rows.forEach(r -> out.add(r.update()));
        return out;
    }

    private List<String> listDocuments() {
        try (Connection c = ds.getConnection()) {
            return projection.documents(c);
        } catch (SQLException e) {
            throw new QuireException("cannot list the documents in PostgreSQL: " + e.getMessage(), e);
        }
    }

    private String checkExists(String document) {
        boolean exists;
        try (Connection c = ds.getConnection()) {
            exists = projection.documentExists(c, document);
        } catch (SQLException e) {
            throw new QuireException("cannot read document '" + document + "' in PostgreSQL: " + e.getMessage(), e);
        }
        if (!exists) {
            throw new UnknownDocumentException(document);
        }
        return document;
    }

    /** A connection for the next document. */
    private Connection connect(int done, int total) {
        try {
            return ds.getConnection();
        } catch (SQLException e) {
            throw new QuireException("lost PostgreSQL after " + done + " of " + total + " documents: " + e.getMessage(), e);
        }
    }
}
