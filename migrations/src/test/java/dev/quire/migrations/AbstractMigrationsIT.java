package dev.quire.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The assertions every PostgreSQL backend must pass: each test migrates a fresh schema {@code
 * mig_<random>} (dropped afterwards), so runs sharing one database never see each other.
 * Subclasses only say where the database is.
 */
@Timeout(60)
abstract class AbstractMigrationsIT {

  /** Tables V1 creates, besides Flyway's own history table. */
  private static final List<String> TABLES =
      List.of("consumer_offsets", "document_snapshots", "document_updates", "quarantined_records");

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String CHECK_VIOLATION = "23514";

  private String schema;

  /** The database under test; reachable for the whole class, as a user that may create schemas. */
  protected abstract DataSource dataSource();

  @BeforeEach
  void createSchema() throws SQLException {
    schema = "mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  @Test
  void migratesAnEmptySchemaToTheLatestVersion() throws SQLException {
    MigrateResult result = Migrations.migrate(dataSource(), schema);

    assertThat(result.success).isTrue();
    assertThat(result.migrationsExecuted).isEqualTo(1);
    assertThat(result.targetSchemaVersion).isEqualTo("1");
    List<String> tables =
        strings(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1",
            schema);
    assertThat(tables).containsAll(TABLES).contains("flyway_schema_history");
  }

  @Test
  void migratingTwiceIsANoOp() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    long historyRows = count("SELECT count(*) FROM flyway_schema_history");

    MigrateResult second = Migrations.migrate(dataSource(), schema);

    assertThat(second.success).isTrue();
    assertThat(second.migrationsExecuted).isZero();
    assertThat(count("SELECT count(*) FROM flyway_schema_history")).isEqualTo(historyRows);
    assertThat(Migrations.flyway(dataSource(), schema).info().pending()).isEmpty();
  }

  @Test
  void declaresThePrimaryKeysTheStoresRelyOn() throws SQLException {
    Migrations.migrate(dataSource(), schema);

    assertThat(primaryKey("document_updates")).isEqualTo("topic_partition,kafka_offset");
    assertThat(primaryKey("document_snapshots")).isEqualTo("document,up_to_offset");
    assertThat(primaryKey("consumer_offsets")).isEqualTo("consumer_group,topic,topic_partition");
    assertThat(primaryKey("quarantined_records")).isEqualTo("topic,topic_partition,kafka_offset");
  }

  @Test
  void commentsEveryTable() throws SQLException {
    Migrations.migrate(dataSource(), schema);

    for (String table : TABLES) {
      assertThat(strings("SELECT obj_description(to_regclass(?), 'pg_class')", schema + "." + table))
          .as("COMMENT ON TABLE %s", table)
          .singleElement()
          .asString()
          .isNotBlank();
    }
  }

  @Test
  void rejectsASecondUpdateAtTheSamePartitionAndOffset() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    insertUpdate(2, 41, "doc-a", "front-1");

    assertThatThrownBy(() -> insertUpdate(2, 41, "doc-b", null))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("document_updates_pkey")
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(UNIQUE_VIOLATION);
    insertUpdate(3, 41, "doc-b", null); // same offset, other partition: a different record
    assertThat(count("SELECT count(*) FROM document_updates")).isEqualTo(2);
  }

  @Test
  void storesAnUpdateWithoutOriginAndComputesItsSize() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    insertUpdate(0, 0, "doc-a", null);

    assertThat(strings("SELECT size_bytes || '/' || coalesce(origin, 'null') FROM document_updates"))
        .containsExactly("3/null");
  }

  @Test
  void rejectsNegativePartitionsAndOffsets() throws SQLException {
    Migrations.migrate(dataSource(), schema);

    assertThatThrownBy(() -> insertUpdate(0, -1, "doc-a", null))
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(CHECK_VIOLATION);
    assertThatThrownBy(() -> insertUpdate(-1, 0, "doc-a", null))
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(CHECK_VIOLATION);
  }

  @Test
  void replayQueriesUseTheDocumentIndexes() throws SQLException {
    Migrations.migrate(dataSource(), schema);

    assertThat(plan("SELECT update_v1 FROM document_updates WHERE document = 'd' AND topic_partition = 1"
            + " AND kafka_offset > 10 AND kafka_offset <= 99 ORDER BY kafka_offset"))
        .contains("document_updates_document_offset_idx");
    assertThat(plan("SELECT max(kafka_offset) FROM document_updates WHERE document = 'd'"
            + " AND kafka_timestamp <= now()"))
        .contains("document_updates_document_timestamp_idx");
  }

  @Test
  void findsTheNewestSnapshotAtOrBeforeAnOffset() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    for (long offset : new long[] {10, 20, 30}) {
      insertSnapshot("doc-a", offset);
    }
    insertSnapshot("doc-b", 25);
    String newest =
        "SELECT up_to_offset FROM document_snapshots WHERE document = 'doc-a' AND up_to_offset <= 25"
            + " ORDER BY up_to_offset DESC LIMIT 1";

    assertThat(strings(newest)).containsExactly("20");
    assertThat(plan(newest)).contains("document_snapshots_pkey");
    assertThatThrownBy(() -> insertSnapshot("doc-a", 20))
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(UNIQUE_VIOLATION);
  }

  @Test
  void keepsOnePositionPerGroupTopicAndPartition() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    String upsert =
        "INSERT INTO consumer_offsets (consumer_group, topic, topic_partition, next_offset)"
            + " VALUES ('persister', 'quire.updates', 0, ?)"
            + " ON CONFLICT (consumer_group, topic, topic_partition)"
            + " DO UPDATE SET next_offset = excluded.next_offset, updated_at = now()";
    update(upsert, 5L);
    update(upsert, 9L);

    assertThat(strings("SELECT next_offset FROM consumer_offsets")).containsExactly("9");
    assertThatThrownBy(
            () ->
                update(
                    "INSERT INTO consumer_offsets (consumer_group, topic, topic_partition, next_offset)"
                        + " VALUES ('persister', 'quire.updates', 0, 1)"))
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(UNIQUE_VIOLATION);
  }

  @Test
  void quarantinesARecordWithANonUtf8KeyOncePerPosition() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    String insert =
        "INSERT INTO quarantined_records (topic, topic_partition, kafka_offset, document, key_bytes,"
            + " reason, error_detail, value_bytes, headers)"
            + " VALUES ('quire.updates', 1, 7, NULL, ?, ?, 'truncated at byte 1', ?, ?::jsonb)";
    update(insert, new byte[] {(byte) 0xff, (byte) 0xfe}, "INVALID_KEY", new byte[] {0},
        "[{\"key\": \"origin\", \"value\": \"ZnJvbnQtMQ==\"}]");

    assertThat(strings("SELECT encode(key_bytes, 'hex') || ' ' || (headers -> 0 ->> 'key')"
            + " FROM quarantined_records"))
        .containsExactly("fffe origin");
    assertThatThrownBy(() -> update(insert, null, "MALFORMED_UPDATE", null, "[]"))
        .isInstanceOf(SQLException.class)
        .extracting(e -> ((SQLException) e).getSQLState())
        .isEqualTo(UNIQUE_VIOLATION);
  }

  @Test
  void rejectsQuarantineReasonsAndHeadersOfTheWrongShape() throws SQLException {
    Migrations.migrate(dataSource(), schema);
    String insert =
        "INSERT INTO quarantined_records (topic, topic_partition, kafka_offset, reason, headers)"
            + " VALUES ('quire.updates', 0, ?, ?, ?::jsonb)";

    assertThatThrownBy(() -> update(insert, 1L, "not a code", "[]"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("quarantined_records_reason_check");
    assertThatThrownBy(() -> update(insert, 2L, "MALFORMED_UPDATE", "{\"origin\": \"x\"}"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("quarantined_records_headers_check");
  }

  @Test
  void refusesToClean() throws SQLException {
    Migrations.migrate(dataSource(), schema);

    assertThatThrownBy(() -> Migrations.flyway(dataSource(), schema).clean())
        .isInstanceOf(FlywayException.class);
    assertThat(count("SELECT count(*) FROM document_updates")).isZero();
  }

  // ------------------------------------------------------------------------------------- helpers

  private Connection connect() throws SQLException {
    Connection c = dataSource().getConnection();
    c.setSchema(schema);
    return c;
  }

  private void insertUpdate(int partition, long offset, String document, String origin)
      throws SQLException {
    update(
        "INSERT INTO document_updates (topic_partition, kafka_offset, document, kafka_timestamp,"
            + " origin, update_v1) VALUES (?, ?, ?, now(), ?, ?)",
        partition, offset, document, origin, new byte[] {0, 0, 0});
  }

  private void insertSnapshot(String document, long upToOffset) throws SQLException {
    update(
        "INSERT INTO document_snapshots (document, topic_partition, up_to_offset, state_v1,"
            + " state_vector, update_count) VALUES (?, 0, ?, ?, ?, ?)",
        document, upToOffset, new byte[] {0, 0}, new byte[] {0}, upToOffset + 1);
  }

  private void update(String sql, Object... args) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    }
  }

  private List<String> strings(String sql, Object... args) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  private long count(String sql) throws SQLException {
    return Long.parseLong(strings(sql).get(0));
  }

  private String primaryKey(String table) throws SQLException {
    return strings(
            "SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_constraint c"
                + " CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)"
                + " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
                + " WHERE c.contype = 'p' AND c.conrelid = to_regclass(?)",
            schema + "." + table)
        .get(0);
  }

  /** The plan PostgreSQL picks when sequential scans are off: shows which index can serve it. */
  private String plan(String query) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = s.executeQuery("EXPLAIN " + query)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }
}
