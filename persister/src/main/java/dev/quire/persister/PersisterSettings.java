package dev.quire.persister;

import dev.quire.core.config.Env;
import dev.quire.core.config.Setting;
import java.time.Duration;

/** Settings of the persister (Kafka and PostgreSQL connection settings are in core). */
public final class PersisterSettings {
    public static final Setting<String> GROUP = Setting.string("QUIRE_PERSISTER_GROUP", "quire-persister",
            "Kafka consumer group of the persisters; run more persisters with the same group to share partitions.");
    public static final Setting<Integer> SNAPSHOT_EVERY_UPDATES = Setting.integer("QUIRE_SNAPSHOT_EVERY_UPDATES", 500, 1, 10_000_000,
            "A document gets a new snapshot after this many updates since its last one.");
    public static final Setting<Duration> SNAPSHOT_INTERVAL = Setting.duration("QUIRE_SNAPSHOT_INTERVAL", "60s",
            "... or when its oldest update not yet in a snapshot is this old.");
    public static final Setting<Integer> HTTP_PORT = Setting.integer("QUIRE_PERSISTER_HTTP_PORT", 9465, 0, 65535,
            "Port of the persister's /metrics and /health endpoints (0 = pick a free port).");
    public static final Setting<Integer> MAX_BATCH = Setting.integer("QUIRE_PERSISTER_MAX_BATCH", 2000, 1, 100_000,
            "Most records written to PostgreSQL in one transaction (Kafka max.poll.records).").expert();
    public static final Setting<Integer> UNREADY_AFTER_FAILURES = Setting.integer("QUIRE_PERSISTER_UNREADY_AFTER_FAILURES", 3, 1, 1000,
            "/health/ready answers 503 once this many batches in a row failed to be stored, 200 again once one is.").expert();

    private final String group;
    private final int snapshotEveryUpdates;
    private final Duration snapshotInterval;
    private final int httpPort;
    private final int maxBatch;
    private final int unreadyAfterFailures;

    public PersisterSettings(Env env) {
        this(env.get(GROUP), env.get(SNAPSHOT_EVERY_UPDATES), env.get(SNAPSHOT_INTERVAL), env.get(HTTP_PORT), env.get(MAX_BATCH),
                env.get(UNREADY_AFTER_FAILURES));
    }

    public PersisterSettings(String group, int snapshotEveryUpdates, Duration snapshotInterval, int httpPort, int maxBatch,
                             int unreadyAfterFailures) {
        this.group = group;
        this.snapshotEveryUpdates = snapshotEveryUpdates;
        this.snapshotInterval = snapshotInterval;
        this.httpPort = httpPort;
        this.maxBatch = maxBatch;
        this.unreadyAfterFailures = unreadyAfterFailures;
    }

    public String group() {
        return group;
    }

    public int snapshotEveryUpdates() {
        return snapshotEveryUpdates;
    }

    public Duration snapshotInterval() {
        return snapshotInterval;
    }

    public int httpPort() {
        return httpPort;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public int unreadyAfterFailures() {
        return unreadyAfterFailures;
    }
}
