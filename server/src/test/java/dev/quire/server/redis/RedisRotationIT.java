package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.config.Env;
import dev.quire.server.protocol.AwarenessUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6: certificates and the auth token are rotated in production. Two fronts' buses reach a TLS+password
 * Redis through a CA file and a password file; Redis is restarted with a certificate from a new CA and a new
 * password while the files are rewritten. Without a restart, the buses reconnect with what the files say now.
 */
@Timeout(120)
class RedisRotationIT {
    @TempDir
    Path dir;
    @TempDir
    Path newCerts;

    @Test
    void aRotatedCaFileAndPasswordFileArePickedUpOnReconnect() throws Exception {
        RedisTestServer.makeCerts(dir);
        RedisTestServer.makeCerts(newCerts);
        Path trust = dir.resolve("trust.pem");
        Path secret = dir.resolve("redis-password");
        Files.copy(dir.resolve("ca.crt"), trust);
        Files.writeString(secret, RedisTestServer.PASSWORD + "\n");
        try (RedisTestServer redis = RedisTestServer.tls(dir)) {
            RedisSettings settings = new RedisSettings(new Env(Map.of("QUIRE_REDIS_URL", redis.url(false),
                    "QUIRE_REDIS_CA_FILE", trust.toString(), "QUIRE_REDIS_PASSWORD_FILE", secret.toString())));
            List<String> got = new CopyOnWriteArrayList<>();
            try (RedisAwarenessBus a = RedisAwarenessBus.connect(settings, "front-a", Duration.ofMillis(200));
                 RedisAwarenessBus b = RedisAwarenessBus.connect(settings, "front-b", Duration.ofMillis(200))) {
                a.start((doc, bytes) -> { });
                b.start((doc, bytes) -> AwarenessUpdate.decode(bytes).entries().forEach(e -> got.add(e.state())));
                a.subscribe("rot");
                b.subscribe("rot");
                Thread.sleep(300);
                a.publish("rot", RedisAwarenessIT.update(1, 1, "{\"n\":\"before\"}"));
                RedisAwarenessIT.await("delivery before the rotation", Duration.ofSeconds(5), () -> got.contains("{\"n\":\"before\"}"));

                // the new CA's certificate and a new password, on the same port; the mounted files change with it
                Files.copy(newCerts.resolve("ca.crt"), trust, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(secret, "rotated-token-2\n");
                redis.rotate(newCerts, "rotated-token-2");
                RedisAwarenessIT.await("both buses reconnected", Duration.ofSeconds(30),
                        () -> a.state().equals("up") && b.state().equals("up") && reconnected(a, b, got));
                assertThat(got).contains("{\"n\":\"after\"}");
            }
        }
    }

    @Test
    void aTokenRotatedOnTheServerOnlyIsReportedAsRejectedUntilTheFileCatchesUp() throws Exception {
        Path secret = dir.resolve("redis-password");
        Files.writeString(secret, RedisTestServer.PASSWORD + "\n");
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RedisAwarenessBus.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log = new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (RedisTestServer redis = RedisTestServer.plain(dir)) {
            RedisSettings settings = new RedisSettings(new Env(Map.of("QUIRE_REDIS_URL", redis.url(false),
                    "QUIRE_REDIS_PASSWORD_FILE", secret.toString())));
            try (RedisAwarenessBus bus = RedisAwarenessBus.connect(settings, "front-a", Duration.ofMillis(200))) {
                bus.start((doc, bytes) -> { });
                redis.restart("rotated-token-3"); // the operator rotated the token in Redis, not yet in the mounted file
                RedisAwarenessIT.await("a reconnect refused for the password", Duration.ofSeconds(30), () -> bus.authFailures() > 0);
                assertThat(bus.state()).isEqualTo("degraded");
                List<String> errors = log.list.stream().map(e -> e.getFormattedMessage()).filter(m -> m.contains("reconnecting")).toList();
                assertThat(errors).as("reported as a rejected password, once").hasSize(1);
                assertThat(errors.get(0)).contains("rejected the password", "QUIRE_REDIS_PASSWORD_FILE");

                Files.writeString(secret, "rotated-token-3\n");
                RedisAwarenessIT.await("back up with the new token", Duration.ofSeconds(30), () -> bus.state().equals("up"));
            }
        } finally {
            logger.detachAppender(log);
        }
    }

    /** Publishes a marker from a and reports whether b received it (Lettuce reconnects in the background). */
    private static boolean reconnected(RedisAwarenessBus a, RedisAwarenessBus b, List<String> got) {
        if (!got.contains("{\"n\":\"after\"}")) {
            a.publish("rot", RedisAwarenessIT.update(1, 2 + got.size(), "{\"n\":\"after\"}"));
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return got.contains("{\"n\":\"after\"}");
    }
}
