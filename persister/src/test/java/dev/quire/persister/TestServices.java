package dev.quire.persister;

import dev.quire.core.config.Env;
import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.UpdateRecords;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The real services of {@code services/services.sh up} (or those named by the QUIRE_* variables), with a
 * topic, consumer group and PostgreSQL schema of its own per test so tests never see each other's data.
 */
final class TestServices implements AutoCloseable {
    final String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String topic = "quire.it." + id;
    final String schema = "it_" + id;
    final Map<String, String> env = new HashMap<>();
    private KafkaProducer<byte[], byte[]> producer;

    TestServices(int partitions, int snapshotEvery) {
        env.put("QUIRE_KAFKA_BOOTSTRAP", sys("QUIRE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        env.put("QUIRE_KAFKA_TOPIC", topic);
        env.put("QUIRE_KAFKA_PARTITIONS", Integer.toString(partitions));
        env.put("QUIRE_DATABASE_URL", sys("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/quire_test"));
        env.put("QUIRE_DATABASE_USER", sys("QUIRE_DATABASE_USER", "quire"));
        env.put("QUIRE_DATABASE_PASSWORD", sys("QUIRE_DATABASE_PASSWORD", "quire"));
        env.put("QUIRE_DATABASE_SCHEMA", schema);
        env.put("QUIRE_PERSISTER_GROUP", "group-" + id);
        env.put("QUIRE_SNAPSHOT_EVERY_UPDATES", Integer.toString(snapshotEvery));
        env.put("QUIRE_PERSISTER_HTTP_PORT", "0");
    }

    static String sys(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    Env env() {
        return new Env(env);
    }

    KafkaSettings kafka() {
        return new KafkaSettings(env());
    }

    synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = kafka().clientProperties();
            p.put("acks", "all");
            p.put("enable.idempotence", "true");
            p.put("linger.ms", "5");
            p.put("key.serializer", ByteArraySerializer.class.getName());
            p.put("value.serializer", ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    RecordMetadata produce(String document, byte[] value) throws Exception {
        return produce(document == null ? null : UpdateRecords.keyOf(document), value);
    }

    RecordMetadata produce(byte[] key, byte[] value) throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, value);
        r.headers().add(UpdateRecords.ORIGIN_HEADER, "test".getBytes());
        return producer().send(r).get();
    }

    /** Sends {@code r} as it is (any key, value and headers) and waits for Kafka's acknowledgement. */
    RecordMetadata send(ProducerRecord<byte[], byte[]> r) throws Exception {
        return producer().send(r).get();
    }

    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(env.get("QUIRE_DATABASE_URL"), env.get("QUIRE_DATABASE_USER"),
                env.get("QUIRE_DATABASE_PASSWORD"));
        c.createStatement().execute("SET search_path TO " + schema);
        return c;
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect(); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws Exception {
        if (producer != null) {
            producer.close();
        }
        try (Connection c = DriverManager.getConnection(env.get("QUIRE_DATABASE_URL"), env.get("QUIRE_DATABASE_USER"),
                env.get("QUIRE_DATABASE_PASSWORD"))) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(kafka().clientProperties())) {
            admin.deleteTopics(java.util.List.of(topic)).all().get();
        } catch (Exception ignored) {
            // the topic may never have been created
        }
    }
}
