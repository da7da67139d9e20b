package dev.quire.core.kafka;

import dev.quire.core.config.Env;
import dev.quire.core.config.Setting;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/** Kafka connection and topic settings shared by the front and the persister. */
public final class KafkaSettings {
    public static final Setting<String> BOOTSTRAP = Setting.string("QUIRE_KAFKA_BOOTSTRAP", "127.0.0.1:9092",
            "Kafka bootstrap servers, host:port[,host:port...].");
    public static final Setting<String> TOPIC = Setting.string("QUIRE_KAFKA_TOPIC", "quire.updates",
            "The topic of Yjs updates (key = document name, value = one v1 update).");
    public static final Setting<Integer> PARTITIONS = Setting.integer("QUIRE_KAFKA_PARTITIONS", 8, 1, 10_000,
            "Partitions of the updates topic when Quire creates it (an existing topic is left as it is).");
    public static final Setting<Integer> REPLICATION = Setting.integer("QUIRE_KAFKA_REPLICATION_FACTOR", 1, 1, 16,
            "Replication factor of the updates topic when Quire creates it (3 in production).");
    public static final Setting<Integer> MAX_UPDATE_BYTES = Setting.integer("QUIRE_MAX_UPDATE_BYTES", 4 * 1024 * 1024, 64 * 1024,
            256 * 1024 * 1024,
            "Largest Yjs update written to the log, in bytes; a larger one is refused before it is applied (its document connection is closed naming the limit). The producer's max.request.size and, when Quire creates the topic, its max.message.bytes are derived from it.");
    /**
     * Room in a record (and its batch) beyond the update: the key (a document name, at most 1,024 bytes), the origin
     * and connection headers, and the record batch's own framing.
     */
    public static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    /**
     * Prefix of pass-through client properties: {@code QUIRE_KAFKA_PROPERTY_SECURITY_PROTOCOL=SASL_SSL} sets
     * {@code security.protocol} (the rest of the name lowercased, {@code _} becomes {@code .}).
     */
    public static final String PROPERTY_PREFIX = "QUIRE_KAFKA_PROPERTY_";

    private final String bootstrap;
    private final String topic;
    private final int partitions;
    private final int replication;
    private final Map<String, String> extra;
    private final int maxUpdateBytes;

    public KafkaSettings(Env env) {
        this.bootstrap = env.get(BOOTSTRAP);
        this.topic = env.get(TOPIC);
        this.partitions = env.get(PARTITIONS);
        this.replication = env.get(REPLICATION);
        this.extra = env.withPrefix(PROPERTY_PREFIX);
        this.maxUpdateBytes = env.get(MAX_UPDATE_BYTES);
    }

    /** The largest update a record may carry, as configured (see {@link Topics#ensure} for the one in force). */
    public int maxUpdateBytes() {
        return maxUpdateBytes;
    }

    /** The largest record (and request) the clients and the topic must accept for {@code maxUpdateBytes} updates. */
    public static int recordLimitBytes(int maxUpdateBytes) {
        return maxUpdateBytes + RECORD_OVERHEAD_BYTES;
    }

    public String bootstrap() {
        return bootstrap;
    }

    public String topic() {
        return topic;
    }

    public int partitions() {
        return partitions;
    }

    public int replication() {
        return replication;
    }

    /** Client properties common to every Quire client: bootstrap servers plus the pass-through ones. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        extra.forEach((k, v) -> p.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v));
        return p;
    }
}
