package dev.quire.migrations;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The migrations against a throw-away PostgreSQL container where a Docker engine is available;
 * skipped (not failed) where it is not. {@link MigrationsIT} is the one that always runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class MigrationsTestcontainersIT extends AbstractMigrationsIT {

  @Container
  private static final PostgreSQLContainer POSTGRES = new PostgreSQLContainer("postgres:15-alpine");

  @Override
  protected DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(POSTGRES.getJdbcUrl());
    ds.setUser(POSTGRES.getUsername());
    ds.setPassword(POSTGRES.getPassword());
    return ds;
  }
}
