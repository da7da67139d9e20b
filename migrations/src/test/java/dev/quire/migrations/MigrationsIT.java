package dev.quire.migrations;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The migrations against the real PostgreSQL of {@code services/services.sh up}, or the one named
 * by {@code QUIRE_DATABASE_URL}, {@code QUIRE_DATABASE_USER} and {@code QUIRE_DATABASE_PASSWORD}.
 */
class MigrationsIT extends AbstractMigrationsIT {

  private static PGSimpleDataSource dataSource;

  @BeforeAll
  static void connect() {
    String url = env("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/quire_test");
    String user = env("QUIRE_DATABASE_USER", "quire");
    dataSource = new PGSimpleDataSource();
    dataSource.setURL(url);
    dataSource.setUser(user);
    dataSource.setPassword(env("QUIRE_DATABASE_PASSWORD", "quire"));
    dataSource.setConnectTimeout(5);
    try (Connection c = dataSource.getConnection()) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "PostgreSQL is not reachable at QUIRE_DATABASE_URL=" + url + " as QUIRE_DATABASE_USER="
              + user + " (" + e.getMessage() + "): run services/services.sh up, or point the"
              + " QUIRE_DATABASE_* variables at a database where that user may create schemas",
          e);
    }
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }

  private static String env(String name, String defaultValue) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }
}
