package dev.quire.core.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.quire.core.config.ConfigException;
import dev.quire.migrations.Migrations;
import javax.sql.DataSource;

/** Opens the PostgreSQL pool and migrates the schema; failures name the setting to fix. */
public final class Database implements AutoCloseable {
    private final HikariDataSource ds;

    private Database(HikariDataSource ds) {
        this.ds = ds;
    }

    /**
     * Connects (within 10 s) and brings the schema up to date.
     *
     * @throws ConfigException when PostgreSQL cannot be reached or refuses the credentials
     */
    public static Database open(DatabaseSettings s) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(s.url());
        c.setUsername(s.user());
        c.setPassword(s.password());
        c.setMaximumPoolSize(s.poolSize());
        c.setConnectionTimeout(10_000);
        c.setInitializationFailTimeout(10_000);
        c.setPoolName("quire-pg");
        if (!"public".equals(s.schema())) {
            c.setSchema(s.schema());
        }
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(c);
        } catch (HikariPool.PoolInitializationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ConfigException("cannot reach PostgreSQL at " + s.url() + " as user " + s.user() + ": " + cause.getMessage()
                    + " (check " + DatabaseSettings.URL.env() + ", " + DatabaseSettings.USER.env() + " and "
                    + DatabaseSettings.PASSWORD.env() + ")", e);
        }
        try {
            if ("public".equals(s.schema())) {
                Migrations.migrate(ds);
            } else {
                Migrations.migrate(ds, s.schema());
            }
        } catch (RuntimeException e) {
            ds.close();
            throw new ConfigException("cannot migrate the schema " + s.schema() + " at " + s.url() + ": " + e.getMessage(), e);
        }
        return new Database(ds);
    }

    public DataSource dataSource() {
        return ds;
    }

    @Override
    public void close() {
        ds.close();
    }
}
