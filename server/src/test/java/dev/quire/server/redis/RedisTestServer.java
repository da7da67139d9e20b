package dev.quire.server.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A private redis-server process for tests (plain with requirepass, or TLS-only with requirepass and a test CA). */
final class RedisTestServer implements AutoCloseable {
    static final String PASSWORD = "s3cret-token";

    final Path dir;
    final int port;
    final boolean tls;
    private Process process;
    private String password = PASSWORD;

    private RedisTestServer(Path dir, int port, boolean tls) {
        this.dir = dir;
        this.port = port;
        this.tls = tls;
    }

    static RedisTestServer plain(Path dir) throws Exception {
        RedisTestServer s = new RedisTestServer(dir, dev.quire.server.ItEnv.freePort(), false);
        s.start();
        return s;
    }

    /** TLS only; {@link #makeCerts} must have run in {@code dir}. */
    static RedisTestServer tls(Path dir) throws Exception {
        RedisTestServer s = new RedisTestServer(dir, dev.quire.server.ItEnv.freePort(), true);
        s.start();
        return s;
    }

    /** CA and server certificate (SAN localhost, 127.0.0.1) as in design/infra.md section 3, plus an unrelated CA. */
    static void makeCerts(Path dir) throws Exception {
        run(dir, "openssl", "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-sha256", "-days", "3650",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Test Redis CA");
        run(dir, "openssl", "req", "-new", "-nodes", "-newkey", "rsa:2048", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                + "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        run(dir, "openssl", "x509", "-req", "-sha256", "-days", "3650", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "server.crt", "-extfile", "server.ext");
        run(dir, "openssl", "req", "-x509", "-new", "-nodes", "-newkey", "rsa:2048", "-sha256", "-days", "3650",
                "-keyout", "other-ca.key", "-out", "other-ca.crt", "-subj", "/CN=Other CA");
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }

    void start() throws Exception {
        Path log = dir.resolve((tls ? "tls-" : "plain-") + port + ".log");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-server", "--bind", "127.0.0.1"));
        if (tls) {
            cmd.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
                    "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "no"));
        } else {
            cmd.addAll(List.of("--port", Integer.toString(port)));
        }
        cmd.addAll(List.of("--requirepass", password, "--daemonize", "no", "--save", "", "--appendonly", "no",
                "--dir", dir.toString(), "--logfile", log.toString()));
        process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains("Ready to accept connections")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("redis-server not ready after 10 s");
    }

    /** Kills the process (SIGKILL), as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * Rotates credentials as operators do: the server is restarted on the same port with the certificate and CA
     * made by {@link #makeCerts} in {@code newCerts} and a new password.
     */
    void rotate(Path newCerts, String newPassword) throws Exception {
        kill();
        for (String f : List.of("server.crt", "server.key", "ca.crt")) {
            Files.copy(newCerts.resolve(f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        restart(newPassword);
    }

    /** Restarts the server on the same port with another password. */
    void restart(String newPassword) throws Exception {
        kill();
        password = newPassword;
        start();
    }

    String url(boolean withPassword) {
        return (tls ? "rediss://" : "redis://") + (withPassword ? ":" + password + "@" : "") + "127.0.0.1:" + port;
    }


    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
