package dev.quire.migrations;

import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies Quire's PostgreSQL schema migrations: the Flyway SQL scripts in {@code
 * classpath:db/migration}, which are the only place the schema is defined.
 *
 * <p>Every service calls {@link #migrate(DataSource)} once at start, before it touches a table;
 * migrating a database that is already up to date does nothing, so concurrent starts are safe
 * (Flyway serialises them with a PostgreSQL advisory lock). {@code clean} is disabled: nothing in
 * Quire can drop the schema.
 *
 * <pre>{@code
 * PGSimpleDataSource ds = new PGSimpleDataSource();     // or a HikariDataSource
 * ds.setURL("jdbc:postgresql://127.0.0.1:5432/quire_test");
 * ds.setUser("quire");
 * ds.setPassword("quire");
 * MigrateResult result = Migrations.migrate(ds);        // result.migrationsExecuted == 0 when up to date
 * }</pre>
 */
public final class Migrations {

  /** Where the SQL migrations live, as a Flyway location. */
  public static final String LOCATION = "classpath:db/migration";

  private Migrations() {}

  /**
   * Brings the connection's default schema (normally {@code public}) to the latest version.
   *
   * @param dataSource where to migrate; its user needs CREATE on the schema
   * @return what Flyway did: {@code migrationsExecuted}, {@code targetSchemaVersion}, ...
   * @throws FlywayException when a migration fails (its transaction is rolled back), when the
   *     database holds a newer or modified migration than this build, or when it cannot be reached
   */
  public static MigrateResult migrate(DataSource dataSource) {
    return flyway(dataSource, null).migrate();
  }

  /**
   * Brings the given schema to the latest version, creating the schema when it does not exist. The
   * tables and Flyway's {@code flyway_schema_history} go into that schema; used to keep
   * deployments (or test runs) sharing one database apart.
   *
   * @param dataSource where to migrate; its user needs CREATE on the database (for a new schema)
   *     or on the schema
   * @param schema an unquoted PostgreSQL schema name, e.g. {@code quire}
   * @return what Flyway did
   * @throws FlywayException as for {@link #migrate(DataSource)}
   */
  public static MigrateResult migrate(DataSource dataSource, String schema) {
    Objects.requireNonNull(schema, "schema");
    return flyway(dataSource, schema).migrate();
  }

  /** The Flyway instance both entry points use; package-private for tests. */
  static Flyway flyway(DataSource dataSource, String schema) {
    Objects.requireNonNull(dataSource, "dataSource");
    var config =
        Flyway.configure(Migrations.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .failOnMissingLocations(true)
            .validateMigrationNaming(true)
            .cleanDisabled(true);
    if (schema != null) {
      if (schema.isBlank()) {
        throw new IllegalArgumentException("schema must not be blank");
      }
      config.schemas(schema).defaultSchema(schema);
    }
    return config.load();
  }
}
