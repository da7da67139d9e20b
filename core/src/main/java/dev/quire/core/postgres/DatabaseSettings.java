package dev.quire.core.postgres;

import dev.quire.core.config.Env;
import dev.quire.core.config.Setting;

/** PostgreSQL connection settings. */
public final class DatabaseSettings {
    public static final Setting<String> URL = Setting.string("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/quire",
            "JDBC URL of PostgreSQL; TLS options go in the URL (e.g. ?sslmode=verify-full&sslrootcert=/ca.pem).");
    public static final Setting<String> USER = Setting.string("QUIRE_DATABASE_USER", "quire", "PostgreSQL user.");
    public static final Setting<String> PASSWORD = Setting.string("QUIRE_DATABASE_PASSWORD", "", "PostgreSQL password.").secret();
    public static final Setting<String> SCHEMA = Setting.string("QUIRE_DATABASE_SCHEMA", "public",
            "Schema holding Quire's tables (created and migrated at start).").expert();
    public static final Setting<Integer> POOL_SIZE = Setting.integer("QUIRE_DATABASE_POOL_SIZE", 4, 1, 200,
            "Maximum PostgreSQL connections of the pool.").expert();

    private final String url;
    private final String user;
    private final String password;
    private final String schema;
    private final int poolSize;

    public DatabaseSettings(Env env) {
        this(env.get(URL), env.get(USER), env.get(PASSWORD), env.get(SCHEMA), env.get(POOL_SIZE));
    }

    public DatabaseSettings(String url, String user, String password, String schema, int poolSize) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
        this.poolSize = poolSize;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String schema() {
        return schema;
    }

    public int poolSize() {
        return poolSize;
    }
}
