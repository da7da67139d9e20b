package dev.quire.persister.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The persister's writes to PostgreSQL: history rows, quarantined records, consumed positions and
 * snapshots, all through the caller's connection so that one batch is one transaction.
 */
public final class PostgresProjection {
    static final String SELECT_POSITION_FOR_UPDATE =
            "SELECT next_offset FROM consumer_offsets WHERE consumer_group = ? AND topic = ? AND topic_partition = ? FOR UPDATE";
    static final String SELECT_POSITION =
            "SELECT next_offset FROM consumer_offsets WHERE consumer_group = ? AND topic = ? AND topic_partition = ?";
    static final String UPSERT_POSITION =
            "INSERT INTO consumer_offsets (consumer_group, topic, topic_partition, next_offset, updated_at) VALUES (?, ?, ?, ?, now()) "
            + "ON CONFLICT (consumer_group, topic, topic_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()";
    /** History rows are inserted by multi-row statements: this head, one {@link #HISTORY_ROW_VALUES} per row, this tail. */
    static final String INSERT_HISTORY_ROWS_HEAD =
            "INSERT INTO document_updates (topic_partition, kafka_offset, document, kafka_timestamp, origin, update_v1) VALUES ";
    static final String HISTORY_ROW_VALUES = "(?, ?, ?, ?, ?, ?)";
    static final String INSERT_HISTORY_ROWS_TAIL = " ON CONFLICT DO NOTHING";
    /**
     * Most rows in one history statement (6 parameters each, well under the protocol's 65,535). One statement for
     * many rows spends less time in PostgreSQL than a JDBC batch of one-row statements (BENCHMARKS.md, "Persister
     * (issue 4)"), and unlike the driver's {@code reWriteBatchedInserts} it still reports how many rows were inserted.
     */
    static final int HISTORY_ROWS_PER_STATEMENT = 1000;
    private static final String INSERT_HISTORY_FULL_CHUNK = insertHistorySql(HISTORY_ROWS_PER_STATEMENT);
    static final String INSERT_QUARANTINED =
            "INSERT INTO quarantined_records (topic, topic_partition, kafka_offset, document, key_bytes, reason, error_detail, "
            + "value_bytes, headers, kafka_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING";
    static final String INSERT_SNAPSHOT =
            "INSERT INTO document_snapshots (document, topic_partition, up_to_offset, state_v1, state_vector, update_count) "
            + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document, up_to_offset) DO UPDATE SET state_v1 = EXCLUDED.state_v1, "
            + "state_vector = EXCLUDED.state_vector, update_count = EXCLUDED.update_count, topic_partition = EXCLUDED.topic_partition, "
            + "created_at = now()";
    /**
     * Moves a history row to the quarantine (an update that decodes but cannot be applied to its document).
     * The history keeps only the origin header, so that is all the quarantined headers can show.
     */
    static final String MOVE_HISTORY_ROW_TO_QUARANTINE =
            "WITH moved AS (DELETE FROM document_updates WHERE topic_partition = ? AND kafka_offset = ? "
            + "RETURNING topic_partition, kafka_offset, document, kafka_timestamp, origin, update_v1) "
            + "INSERT INTO quarantined_records (topic, topic_partition, kafka_offset, document, key_bytes, reason, error_detail, "
            + "value_bytes, headers, kafka_timestamp) SELECT ?, topic_partition, kafka_offset, document, convert_to(document, 'UTF8'), "
            + "?, ?, update_v1, CASE WHEN origin IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('key', "
            + "'quire.origin', 'value', translate(encode(convert_to(origin, 'UTF8'), 'base64'), E'\\n', ''))) END, kafka_timestamp "
            + "FROM moved ON CONFLICT DO NOTHING";
    static final String SELECT_LATEST_SNAPSHOT =
            "SELECT up_to_offset, update_count, state_v1 FROM document_snapshots WHERE document = ? ORDER BY up_to_offset DESC LIMIT 1";
    static final String SELECT_PENDING =
            "SELECT count(*), min(kafka_timestamp), max(kafka_offset) FROM document_updates WHERE document = ? AND kafka_offset > ?";
    static final String SELECT_UPDATES =
            "SELECT kafka_offset, update_v1 FROM document_updates WHERE document = ? AND kafka_offset > ? AND kafka_offset <= ? ORDER BY kafka_offset";
    static final String SELECT_UPDATE_ROWS =
            "SELECT topic_partition, kafka_offset, update_v1 FROM document_updates WHERE document = ? AND kafka_offset > ? "
            + "AND kafka_offset <= ? ORDER BY kafka_offset";
    static final String SELECT_SNAPSHOTS_FOR_UPDATE =
            "SELECT topic_partition, up_to_offset, state_v1, state_vector, update_count FROM document_snapshots WHERE document = ? "
            + "ORDER BY up_to_offset FOR UPDATE";
    static final String SELECT_DOCUMENTS =
            "SELECT document FROM document_updates UNION SELECT document FROM document_snapshots ORDER BY 1";
    static final String SELECT_DOCUMENT_EXISTS =
            "SELECT EXISTS (SELECT 1 FROM document_updates WHERE document = ?) OR EXISTS (SELECT 1 FROM document_snapshots WHERE document = ?)";

    /** A history row to insert. */
    public record HistoryRow(int partition, long offset, String document, Instant timestamp, String origin, byte[] update) {
    }

    /** A record that could not be projected. */
    public record QuarantinedRow(String topic, int partition, long offset, String document, byte[] key, String reason,
                                 String detail, byte[] value, String headersJson, Instant timestamp) {
    }

    /** The newest snapshot's offset, count and state (state null when there is none: offset -1, count 0). */
    public record SnapshotHead(long upToOffset, long updateCount, byte[] state) {
        public static final SnapshotHead NONE = new SnapshotHead(-1, 0, null);
    }

    /** A stored snapshot, as read (and locked) by a rebuild. */
    public record StoredSnapshot(int partition, long upToOffset, byte[] state, byte[] stateVector, long updateCount) {
    }

    /** A history row's position and bytes. */
    public record UpdateRow(int partition, long offset, byte[] update) {
    }

    /** Updates of a document not yet in a snapshot. */
    public record Pending(long count, Instant oldest, long lastOffset) {
    }

    private final String group;
    private final String topic;

    public PostgresProjection(String group, String topic) {
        this.group = group;
        this.topic = topic;
    }

    /** Stored next offsets of the given partitions (absent: never consumed). */
    public Map<Integer, Long> positions(Connection c, List<Integer> partitions, boolean lock) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(lock ? SELECT_POSITION_FOR_UPDATE : SELECT_POSITION)) {
            for (int p : partitions) {
                ps.setString(1, group);
                ps.setString(2, topic);
                ps.setInt(3, p);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        out.put(p, rs.getLong(1));
                    }
                }
            }
        }
        return out;
    }

    public void savePosition(Connection c, int partition, long nextOffset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_POSITION)) {
            ps.setString(1, group);
            ps.setString(2, topic);
            ps.setInt(3, partition);
            ps.setLong(4, nextOffset);
            ps.executeUpdate();
        }
    }

    /** Inserts history rows; returns how many were new (a conflict means the row was already there). */
    public int insertHistory(Connection c, List<HistoryRow> rows) throws SQLException {
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += HISTORY_ROWS_PER_STATEMENT) {
            List<HistoryRow> chunk = rows.subList(from, Math.min(rows.size(), from + HISTORY_ROWS_PER_STATEMENT));
            String sql = chunk.size() == HISTORY_ROWS_PER_STATEMENT ? INSERT_HISTORY_FULL_CHUNK : insertHistorySql(chunk.size());
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (HistoryRow r : chunk) {
                    ps.setInt(i++, r.partition());
                    ps.setLong(i++, r.offset());
                    ps.setString(i++, r.document());
                    ps.setTimestamp(i++, Timestamp.from(r.timestamp()));
                    ps.setString(i++, r.origin());
                    ps.setBytes(i++, r.update());
                }
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }

    private static String insertHistorySql(int rows) {
        StringBuilder sb = new StringBuilder(INSERT_HISTORY_ROWS_HEAD.length() + rows * (HISTORY_ROW_VALUES.length() + 2)
                + INSERT_HISTORY_ROWS_TAIL.length()).append(INSERT_HISTORY_ROWS_HEAD);
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append(HISTORY_ROW_VALUES);
        }
        return sb.append(INSERT_HISTORY_ROWS_TAIL).toString();
    }

    public void insertQuarantined(Connection c, List<QuarantinedRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_QUARANTINED)) {
            for (QuarantinedRow r : rows) {
                ps.setString(1, r.topic());
                ps.setInt(2, r.partition());
                ps.setLong(3, r.offset());
                ps.setString(4, r.document());
                ps.setBytes(5, r.key());
                ps.setString(6, r.reason());
                ps.setString(7, r.detail());
                ps.setBytes(8, r.value());
                ps.setString(9, r.headersJson());
                ps.setTimestamp(10, r.timestamp() == null ? null : Timestamp.from(r.timestamp()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Moves the history row at {@code partition}/{@code offset} to the quarantine with {@code reason} and {@code detail}. */
    public void quarantineHistoryRow(Connection c, int partition, long offset, String reason, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MOVE_HISTORY_ROW_TO_QUARANTINE)) {
            ps.setInt(1, partition);
            ps.setLong(2, offset);
            ps.setString(3, topic);
            ps.setString(4, reason);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }

    public SnapshotHead latestSnapshot(Connection c, String document) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_LATEST_SNAPSHOT)) {
            ps.setString(1, document);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new SnapshotHead(rs.getLong(1), rs.getLong(2), rs.getBytes(3)) : SnapshotHead.NONE;
            }
        }
    }

    /** Updates of {@code document} after {@code afterOffset}: how many, the oldest timestamp, the last offset. */
    public Pending pending(Connection c, String document, long afterOffset) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_PENDING)) {
            ps.setString(1, document);
            ps.setLong(2, afterOffset);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp oldest = rs.getTimestamp(2);
                return new Pending(rs.getLong(1), oldest == null ? null : oldest.toInstant(), rs.getLong(3));
            }
        }
    }

    /** The update bytes of {@code document} with {@code after < offset <= upTo}, in offset order. */
    public List<byte[]> updates(Connection c, String document, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_UPDATES)) {
            ps.setString(1, document);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            ps.setFetchSize(1000);
            List<byte[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(2));
                }
            }
            return out;
        }
    }

    public void insertSnapshot(Connection c, String document, int partition, long upToOffset, byte[] state, byte[] stateVector,
                               long updateCount) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_SNAPSHOT)) {
            ps.setString(1, document);
            ps.setInt(2, partition);
            ps.setLong(3, upToOffset);
            ps.setBytes(4, state);
            ps.setBytes(5, stateVector);
            ps.setLong(6, updateCount);
            ps.executeUpdate();
        }
    }

    /** Every document with history or snapshots, by name. */
    public List<String> documents(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_DOCUMENTS); ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Whether {@code document} has history rows or snapshots. */
    public boolean documentExists(Connection c, String document) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_DOCUMENT_EXISTS)) {
            ps.setString(1, document);
            ps.setString(2, document);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The snapshots of {@code document}, oldest first, locked until the transaction of {@code c} ends. */
    public List<StoredSnapshot> lockSnapshots(Connection c, String document) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_SNAPSHOTS_FOR_UPDATE)) {
            ps.setString(1, document);
            List<StoredSnapshot> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredSnapshot(rs.getInt(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4), rs.getLong(5)));
                }
            }
            return out;
        }
    }

    /** The history rows of {@code document} with {@code after < offset <= upTo}, with their positions, in offset order. */
    public List<UpdateRow> updateRows(Connection c, String document, long after, long upTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_UPDATE_ROWS)) {
            ps.setString(1, document);
            ps.setLong(2, after);
            ps.setLong(3, upTo);
            ps.setFetchSize(1000);
            List<UpdateRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new UpdateRow(rs.getInt(1), rs.getLong(2), rs.getBytes(3)));
                }
            }
            return out;
        }
    }
}
