package dev.quire.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What can be checked without a database: the scripts are packaged and the arguments checked. */
class MigrationsTest {

  @Test
  void packagesTheFirstMigrationUnderTheFlywayLocation() throws IOException {
    String path = Migrations.LOCATION.substring("classpath:".length()) + "/V1__event_log_projection.sql";
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(sql)
          .contains("CREATE TABLE document_updates")
          .contains("CREATE TABLE document_snapshots")
          .contains("CREATE TABLE consumer_offsets")
          .contains("CREATE TABLE quarantined_records");
    }
  }

  @Test
  void rejectsAMissingDataSourceOrABlankSchema() {
    assertThatThrownBy(() -> Migrations.migrate(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Migrations.flyway(new org.postgresql.ds.PGSimpleDataSource(), " "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
