package dev.quire.cli.history;

import dev.quire.core.config.Env;
import dev.quire.migrations.Migrations;
import dev.quire.persister.Snapshots;
import dev.quire.yjs.model.YDoc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL schema {@code cli_<random>}, migrated, on the database of {@code services/services.sh up}
 * (or the one named by QUIRE_DATABASE_URL, _USER and _PASSWORD); dropped on close. History and snapshot rows
 * are written with plain JDBC, as the persister would have written them.
 */
final class TestDatabase implements AutoCloseable {
    final String schema = "cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String url = sys("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/quire_test");
    final String user = sys("QUIRE_DATABASE_USER", "quire");
    final String password = sys("QUIRE_DATABASE_PASSWORD", "quire");
    private final PGSimpleDataSource ds = new PGSimpleDataSource();

    /** One update as stored: its position, document, time and bytes. */
    record Update(int partition, long offset, String document, Instant timestamp, String origin, byte[] bytes) {
    }

    TestDatabase() {
        ds.setURL(url);
        ds.setUser(user);
        ds.setPassword(password);
        ds.setConnectTimeout(5);
        try (Connection c = ds.getConnection()) {
            c.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at QUIRE_DATABASE_URL=" + url + " (" + e.getMessage()
                    + "): run services/services.sh up", e);
        }
        Migrations.migrate(ds, schema);
    }

    /** The settings a command reads to use this schema. */
    Env env() {
        return new Env(Map.of("QUIRE_DATABASE_URL", url, "QUIRE_DATABASE_USER", user, "QUIRE_DATABASE_PASSWORD", password,
                "QUIRE_DATABASE_SCHEMA", schema, "QUIRE_DATABASE_POOL_SIZE", "2"));
    }

    Connection connect() throws SQLException {
        Connection c = ds.getConnection();
        c.setSchema(schema);
        return c;
    }

    void insert(List<Update> updates) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO document_updates (topic_partition, kafka_offset, document, kafka_timestamp, origin, update_v1) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Update u : updates) {
                ps.setInt(1, u.partition());
                ps.setLong(2, u.offset());
                ps.setString(3, u.document());
                ps.setTimestamp(4, Timestamp.from(u.timestamp()));
                ps.setString(5, u.origin());
                ps.setBytes(6, u.bytes());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void insertSnapshot(String document, int partition, long upToOffset, byte[] state, byte[] stateVector, long count)
            throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO document_snapshots (document, topic_partition, up_to_offset, state_v1, state_vector, update_count) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, document);
            ps.setInt(2, partition);
            ps.setLong(3, upToOffset);
            ps.setBytes(4, state);
            ps.setBytes(5, stateVector);
            ps.setLong(6, count);
            ps.executeUpdate();
        }
    }

    /**
     * Writes the snapshots of {@code document} at the given offsets, chained as the persister chains them
     * (each from the previous one and the updates after it).
     */
    List<Snapshots.State> insertSnapshots(List<Update> history, String document, long... offsets) throws SQLException {
        List<Update> mine = history.stream().filter(u -> u.document().equals(document)).toList();
        List<Snapshots.State> out = new ArrayList<>();
        byte[] previous = null;
        long previousOffset = -1;
        for (long offset : offsets) {
            long after = previousOffset;
            List<byte[]> updates = mine.stream().filter(u -> u.offset() > after && u.offset() <= offset).map(Update::bytes).toList();
            Snapshots.State s = Snapshots.compute(previous, updates);
            long count = mine.stream().filter(u -> u.offset() <= offset).count();
            insertSnapshot(document, mine.get(0).partition(), offset, s.state(), s.stateVector(), count);
            out.add(s);
            previous = s.state();
            previousOffset = offset;
        }
        return out;
    }

    /** The document after its updates up to {@code offset}, applied one by one to a fresh document. */
    static YDoc applied(List<Update> history, String document, long offset) {
        YDoc doc = new YDoc(0, true);
        history.stream().filter(u -> u.document().equals(document) && u.offset() <= offset).forEach(u -> doc.applyUpdate(u.bytes()));
        return doc;
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static String sys(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }
}
