package dev.quire.server.redis;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;
import dev.quire.core.config.Setting;
import dev.quire.core.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/** Settings of the Redis awareness bus between fronts (empty {@link #URL} = single front, no Redis). */
public final class RedisSettings {
    public static final Setting<String> URL = Setting.string("QUIRE_REDIS_URL", "",
            "Redis carrying awareness between fronts: redis://[user:password@]host:port or rediss:// for TLS "
                    + "(empty = no Redis: a single front, awareness stays among its own clients).").secret();
    public static final Setting<String> PASSWORD_FILE = Setting.string("QUIRE_REDIS_PASSWORD_FILE", "",
            "File holding the Redis password (auth token), e.g. a mounted secret; re-read for every new connection; "
                    + "overrides a password in QUIRE_REDIS_URL.");
    public static final Setting<String> CA_FILE = Setting.string("QUIRE_REDIS_CA_FILE", "",
            "PEM file of the CA(s) trusted for rediss:// (default: the JVM's trust store); re-read for every new connection.");
    public static final Setting<Boolean> VERIFY_PEER = Setting.bool("QUIRE_REDIS_VERIFY_PEER", true,
            "Verify the Redis server certificate and host name with rediss:// (false: encryption without authentication of the server).");
    public static final Setting<Duration> TIMEOUT = Setting.duration("QUIRE_REDIS_TIMEOUT", "2s",
            "Timeout of connecting, of the TLS handshake and of each Redis command (a TLS URL to a plain port fails after it).");
    public static final Setting<String> PREFIX = Setting.string("QUIRE_REDIS_PREFIX", "",
            "Start of the name of every Redis channel and key of this deployment (default: quire:{QUIRE_KAFKA_TOPIC}:, so "
                    + "deployments with different topics on one Redis never exchange awareness or updates; set it when two "
                    + "deployments share a Redis and a topic name on different Kafka clusters); at most 256 of A-Z a-z 0-9 . _ - : / { }.");
    public static final Setting<Duration> COALESCE = Setting.duration("QUIRE_AWARENESS_COALESCE", "20ms",
            "Awareness updates of a document published to Redis are coalesced over this window, keeping each client's newest state (0 = none).").expert();

    private final String url;
    private final Path passwordFile;
    private final Path caFile;
    private final boolean verifyPeer;
    private final Duration timeout;
    private final Duration coalesce;
    private final String prefix;

    public RedisSettings(Env env) {
        url = env.get(URL).trim();
        String pw = env.get(PASSWORD_FILE).trim();
        passwordFile = pw.isEmpty() ? null : Path.of(pw);
        String ca = env.get(CA_FILE).trim();
        caFile = ca.isEmpty() ? null : Path.of(ca);
        verifyPeer = env.get(VERIFY_PEER);
        timeout = env.get(TIMEOUT);
        coalesce = env.get(COALESCE);
        String p = env.get(PREFIX).trim();
        // fronts of one deployment share its topic, so it names the deployment; two deployments sharing one are one
        prefix = p.isEmpty() ? "quire:" + env.get(KafkaSettings.TOPIC) + ":" : p;
        if (!VALID_PREFIX.matcher(prefix).matches()) {
            throw new ConfigException(PREFIX.env() + "='" + prefix + "'" + (p.isEmpty() ? " (from " + KafkaSettings.TOPIC.env() + ")" : "")
                    + " is not a valid prefix of Redis names: use 1 to 256 of A-Z a-z 0-9 . _ - : / { } (e.g. myapp-prod:)");
        }
        if (!url.isEmpty() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
            throw new ConfigException(URL.env() + " must start with redis:// or rediss:// (TLS)");
        }
        if (passwordFile != null && !Files.isReadable(passwordFile)) {
            throw new ConfigException(PASSWORD_FILE.env() + "='" + passwordFile + "' is not a readable file");
        }
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new ConfigException(CA_FILE.env() + "='" + caFile + "' is not a readable file");
        }
        if (timeout.isZero()) {
            throw new ConfigException(TIMEOUT.env() + " must be longer than 0");
        }
    }

    /**
     * No spaces or control characters (they would make the names hard to type in redis-cli and ACL rules) and no glob
     * characters {@code * ? [ ] \}, so that an ACL or PSUBSCRIBE pattern built from the prefix means it literally.
     */
    private static final Pattern VALID_PREFIX = Pattern.compile("[A-Za-z0-9._:/{}-]{1,256}");

    /** The start of every Redis channel and key name of this deployment. */
    public String prefix() {
        return prefix;
    }

    /** Whether Redis is configured (otherwise a single front). */
    public boolean enabled() {
        return !url.isEmpty();
    }

    public String url() {
        return url;
    }

    public Path passwordFile() {
        return passwordFile;
    }

    public Path caFile() {
        return caFile;
    }

    public boolean verifyPeer() {
        return verifyPeer;
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration coalesce() {
        return coalesce;
    }
}
