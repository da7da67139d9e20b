package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each Redis misconfiguration of design/infra.md section 3 stops the start within 5 s, naming the setting to fix. */
class RedisStartupIT {
    @TempDir
    static Path dir;
    static RedisTestServer plain;
    static RedisTestServer tls;

    @BeforeAll
    static void servers() throws Exception {
        RedisTestServer.makeCerts(dir);
        plain = RedisTestServer.plain(dir);
        tls = RedisTestServer.tls(dir);
        // warm-up: the first connection of a JVM loads Netty, Reactor and the JDK's TLS (1-7 s on a loaded machine);
        // the 5 s bound below is about the check itself
        Redis.awarenessBus(new Env(env(tls.url(true), "QUIRE_REDIS_CA_FILE", dir.resolve("ca.crt").toString())), "warm-up").close();
    }

    @AfterAll
    static void stop() throws Exception {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    private static Map<String, String> env(String url, String... more) {
        Map<String, String> m = new HashMap<>();
        m.put("QUIRE_REDIS_URL", url);
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private static RedisConfigException fails(Map<String, String> env) {
        long t0 = System.nanoTime();
        RedisConfigException e = catchThrowableOfType(RedisConfigException.class,
                () -> Redis.awarenessBus(new Env(env), "front-test").close());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(e).as("a RedisConfigException for %s", env).isNotNull();
        assertThat(e).isInstanceOf(ConfigException.class);
        System.out.printf("startup check failed in %d ms: %s (exit %d): %s%n", ms, e.kind(), e.exitCode(), e.getMessage());
        assertThat(ms).as("time to fail").isLessThan(5000);
        return e;
    }

    /**
     * The bound as an operator sees it: a front process on a cold JVM, Redis misconfigured, exits with the Redis
     * exit code and the setting to fix. Kafka and PostgreSQL point at closed ports: Redis is checked first.
     */
    @Test
    void aColdFrontProcessStopsOnAMisconfiguredRedisFirst() throws Exception {
        for (Map.Entry<String, Integer> c : Map.of(
                "rediss://:" + RedisTestServer.PASSWORD + "@127.0.0.1:" + plain.port, 14, // TLS to a plain port
                plain.url(false), 11).entrySet()) { // no password
            ProcessBuilder pb = dev.quire.server.ItEnv.frontProcess(Map.of("QUIRE_REDIS_URL", c.getKey(), "QUIRE_AUTH", "none",
                    "QUIRE_KAFKA_BOOTSTRAP", "127.0.0.1:1", "QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"));
            long t0 = System.nanoTime();
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("cold front process, QUIRE_REDIS_URL=%s: exit %d after %d ms (JVM start included)%n", c.getKey(),
                    p.exitValue(), ms);
            assertThat(p.exitValue()).as(out).isEqualTo(c.getValue());
            assertThat(out).contains("QUIRE_REDIS_URL");
        }
    }

    @Test
    void tlsWithPasswordAndCaWorks() {
        try (var bus = Redis.awarenessBus(new Env(env(tls.url(true), "QUIRE_REDIS_CA_FILE", dir.resolve("ca.crt").toString())), "f")) {
            assertThat(bus).isInstanceOf(RedisAwarenessBus.class);
            assertThat(((RedisAwarenessBus) bus).state()).isEqualTo("up");
        }
    }

    @Test
    void passwordFromFileWorks() throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, RedisTestServer.PASSWORD + "\n");
        try (var bus = Redis.awarenessBus(new Env(env(tls.url(false), "QUIRE_REDIS_CA_FILE", dir.resolve("ca.crt").toString(),
                "QUIRE_REDIS_PASSWORD_FILE", secret.toString())), "f")) {
            assertThat(((RedisAwarenessBus) bus).state()).isEqualTo("up");
        }
    }

    @Test
    void emptyUrlIsSingleFront() {
        assertThat(Redis.awarenessBus(new Env(Map.of()), "f")).isNotInstanceOf(RedisAwarenessBus.class);
    }

    @Test
    void tlsWithoutPassword() {
        RedisConfigException e = fails(env(tls.url(false), "QUIRE_REDIS_CA_FILE", dir.resolve("ca.crt").toString()));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.PASSWORD_MISSING);
        assertThat(e.getMessage()).contains("requires a password: set QUIRE_REDIS_URL to rediss://:<token>@127.0.0.1:" + tls.port);
    }

    @Test
    void plainWithoutPassword() {
        RedisConfigException e = fails(env(plain.url(false)));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.PASSWORD_MISSING);
        assertThat(e.getMessage()).contains("requires a password: set QUIRE_REDIS_URL to redis://:<token>@");
    }

    @Test
    void wrongPassword() {
        RedisConfigException e = fails(env("rediss://:wrong@127.0.0.1:" + tls.port, "QUIRE_REDIS_CA_FILE", dir.resolve("ca.crt").toString()));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.PASSWORD_REJECTED);
        assertThat(e.getMessage()).contains("rejected the password").contains("QUIRE_REDIS_URL");
    }

    @Test
    void wrongPasswordFromFile() throws Exception {
        Path secret = dir.resolve("old-token");
        Files.writeString(secret, "rotated-away");
        RedisConfigException e = fails(env(plain.url(false), "QUIRE_REDIS_PASSWORD_FILE", secret.toString()));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.PASSWORD_REJECTED);
        assertThat(e.getMessage()).contains("QUIRE_REDIS_PASSWORD_FILE");
    }

    @Test
    void plainTextToTlsPort() {
        RedisConfigException e = fails(env("redis://:" + RedisTestServer.PASSWORD + "@127.0.0.1:" + tls.port));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.TLS_REQUIRED);
        assertThat(e.getMessage()).contains("use rediss:// in QUIRE_REDIS_URL");
    }

    @Test
    void tlsToPlainPort() {
        RedisConfigException e = fails(env("rediss://:" + RedisTestServer.PASSWORD + "@127.0.0.1:" + plain.port,
                "QUIRE_REDIS_CA_FILE", dir.resolve("ca.crt").toString()));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.NOT_TLS);
        assertThat(e.getMessage()).contains("use redis:// in QUIRE_REDIS_URL");
    }

    @Test
    void untrustedCa() {
        RedisConfigException e = fails(env(tls.url(true), "QUIRE_REDIS_CA_FILE", dir.resolve("other-ca.crt").toString()));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.UNTRUSTED_CERTIFICATE);
        assertThat(e.getMessage()).contains("set QUIRE_REDIS_CA_FILE");
    }

    @Test
    void untrustedCaWithoutCaFile() {
        RedisConfigException e = fails(env(tls.url(true)));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.UNTRUSTED_CERTIFICATE);
    }

    @Test
    void nothingListening() throws Exception {
        RedisConfigException e = fails(env("redis://:x@127.0.0.1:" + dev.quire.server.ItEnv.freePort()));
        assertThat(e.kind()).isEqualTo(RedisConfigException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("QUIRE_REDIS_URL");
    }

    @Test
    void verifyPeerOffAcceptsUnknownCa() {
        try (var bus = Redis.awarenessBus(new Env(env(tls.url(true), "QUIRE_REDIS_VERIFY_PEER", "false")), "f")) {
            assertThat(((RedisAwarenessBus) bus).state()).isEqualTo("up");
        }
    }

    @Test
    void distinctExitCodes() {
        assertThat(java.util.Arrays.stream(RedisConfigException.Kind.values()).mapToInt(k -> k.exitCode).distinct().count())
                .isEqualTo(RedisConfigException.Kind.values().length);
    }
}
