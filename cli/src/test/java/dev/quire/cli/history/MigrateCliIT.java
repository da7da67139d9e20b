package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.QuireRunner;
import dev.quire.cli.QuireRunner.Result;
import dev.quire.core.config.Env;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code quire migrate} on a schema that does not exist yet, and on a database that cannot be reached. */
class MigrateCliIT {
    private final TestDatabase db = new TestDatabase(); // for the connection settings of services.sh

    @Test
    void createsTheTablesInAFreshSchemaAndIsIdempotent() throws Exception {
        String schema = "cli_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Env env = new Env(Map.of("QUIRE_DATABASE_URL", db.url, "QUIRE_DATABASE_USER", db.user, "QUIRE_DATABASE_PASSWORD", db.password,
                "QUIRE_DATABASE_SCHEMA", schema));
        try {
            Result first = QuireRunner.runWithEnv(env, "migrate");
            assertThat(first.exitCode()).as(first.stderr()).isZero();
            assertThat(first.out()).contains("schema migrated");
            assertThat(QuireRunner.runWithEnv(env, "migrate").exitCode()).as("again: nothing to do").isZero();
            try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
                 ResultSet r = c.getMetaData().getTables(null, schema, "document_updates", null)) {
                assertThat(r.next()).as("document_updates in " + schema).isTrue();
            }
        } finally {
            try (Connection c = DriverManager.getConnection(db.url, db.user, db.password)) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            db.close();
        }
    }

    @Test
    void anUnreachableDatabaseIsAnInputErrorNamingTheSetting() throws Exception {
        db.close();
        Result r = QuireRunner.runWithEnv(new Env(Map.of("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none")), "migrate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("QUIRE_DATABASE_URL");
    }
}
