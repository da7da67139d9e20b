package dev.quire.cli.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/** PostgreSQL for {@code quire dev}: embedded binaries (zonky), its cluster under the dev directory, kept across runs. */
final class DevPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private DevPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static DevPostgres start(Path data) throws IOException {
        return new DevPostgres(EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(freePort()).start());
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
