package dev.quire.core.postgres;

import dev.quire.core.QuireException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads the PostgreSQL projection of the update log: snapshots and history rows of a document. Used to
 * load documents (fronts), to replay them and to page their history.
 */
public final class DocumentHistory {
    static final String SELECT_SNAPSHOT_AT_OR_BEFORE =
            "SELECT document, topic_partition, up_to_offset, state_v1, state_vector, update_count, created_at "
            + "FROM document_snapshots WHERE document = ? AND up_to_offset <= ? ORDER BY up_to_offset DESC LIMIT 1";
    static final String SELECT_SNAPSHOTS =
            "SELECT document, topic_partition, up_to_offset, state_v1, state_vector, update_count, created_at "
            + "FROM document_snapshots WHERE document = ? ORDER BY up_to_offset";
    static final String SELECT_UPDATES_BETWEEN =
            "SELECT topic_partition, kafka_offset, document, kafka_timestamp, origin, size_bytes, update_v1 "
            + "FROM document_updates WHERE document = ? AND kafka_offset > ? AND kafka_offset <= ? ORDER BY kafka_offset";
    static final String SELECT_PAGE =
            "SELECT topic_partition, kafka_offset, document, kafka_timestamp, origin, size_bytes, NULL "
            + "FROM document_updates WHERE document = ? AND kafka_offset > ? ORDER BY kafka_offset LIMIT ?";
    static final String SELECT_LAST_AT_OR_BEFORE_TIME =
            "SELECT topic_partition, kafka_offset, document, kafka_timestamp, origin, size_bytes, NULL "
            + "FROM document_updates WHERE document = ? AND kafka_timestamp <= ? ORDER BY kafka_offset DESC LIMIT 1";
    static final String SELECT_FIRST =
            "SELECT topic_partition, kafka_offset, document, kafka_timestamp, origin, size_bytes, NULL "
            + "FROM document_updates WHERE document = ? ORDER BY kafka_offset LIMIT 1";
    static final String SELECT_LAST =
            "SELECT topic_partition, kafka_offset, document, kafka_timestamp, origin, size_bytes, NULL "
            + "FROM document_updates WHERE document = ? ORDER BY kafka_offset DESC LIMIT 1";
    static final String SELECT_DOCUMENTS = "SELECT DISTINCT document FROM document_updates ORDER BY document";
    static final String SELECT_PERSISTED_END =
            "SELECT coalesce(max(next_offset), 0) FROM consumer_offsets WHERE topic = ? AND topic_partition = ?";

    private final DataSource ds;

    public DocumentHistory(DataSource ds) {
        this.ds = ds;
    }

    /**
     * The offset below which every record of the partition is in these tables (0 when none is): the persister commits
     * its position with the rows it wrote, in one transaction, so a reader that reads this first and the rows after
     * misses nothing below it. The highest over consumer groups: each wrote everything below its own position.
     */
    public long persistedEnd(String topic, int partition) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_PERSISTED_END)) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("read the persisted position of " + topic + "-" + partition, e);
        }
    }

    /** The newest snapshot of {@code document} with {@code up_to_offset <= offset}. */
    public Optional<Snapshot> snapshotAtOrBefore(String document, long offset) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_SNAPSHOT_AT_OR_BEFORE)) {
            ps.setString(1, document);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(snapshot(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the snapshot of " + document, e);
        }
    }

    /** Every snapshot of {@code document}, oldest first. */
    public List<Snapshot> snapshots(String document) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_SNAPSHOTS)) {
            ps.setString(1, document);
            List<Snapshot> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(snapshot(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("read the snapshots of " + document, e);
        }
    }

    /** The updates of {@code document} with {@code after < offset <= upTo}, with their bytes, in offset order. */
    public List<HistoryEntry> updates(String document, long after, long upTo) {
        return query(SELECT_UPDATES_BETWEEN, "read the history of " + document, ps -> {
            ps.setString(1, document);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
        });
    }

    /** Up to {@code limit} versions after {@code afterOffset} (metadata only). */
    public List<HistoryEntry> page(String document, long afterOffset, int limit) {
        return query(SELECT_PAGE, "page the history of " + document, ps -> {
            ps.setString(1, document);
            ps.setLong(2, afterOffset);
            ps.setInt(3, limit);
        });
    }

    /**
     * The version of {@code document} at {@code time}: the highest offset whose Kafka timestamp is at or before it
     * (timestamps are not monotonic in offset order; the offset is the version order).
     */
    public Optional<HistoryEntry> lastAtOrBefore(String document, Instant time) {
        return query(SELECT_LAST_AT_OR_BEFORE_TIME, "find the version of " + document + " at " + time, ps -> {
            ps.setString(1, document);
            ps.setTimestamp(2, Timestamp.from(time));
        }).stream().findFirst();
    }

    public Optional<HistoryEntry> first(String document) {
        return query(SELECT_FIRST, "read the history of " + document, ps -> ps.setString(1, document)).stream().findFirst();
    }

    public Optional<HistoryEntry> last(String document) {
        return query(SELECT_LAST, "read the history of " + document, ps -> ps.setString(1, document)).stream().findFirst();
    }

    /** Every document with history, by name. */
    public List<String> documents() {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT_DOCUMENTS);
             ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw failure("list documents", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<HistoryEntry> query(String sql, String what, Binder binder) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<HistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new HistoryEntry(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getString(5), rs.getInt(6), rs.getBytes(7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static Snapshot snapshot(ResultSet rs) throws SQLException {
        return new Snapshot(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getBytes(4), rs.getBytes(5), rs.getLong(6),
                rs.getTimestamp(7).toInstant());
    }

    private static QuireException failure(String what, SQLException e) {
        return new QuireException("cannot " + what + " in PostgreSQL: " + e.getMessage(), e);
    }
}
