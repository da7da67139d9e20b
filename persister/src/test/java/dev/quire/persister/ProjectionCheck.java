package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.kafka.UpdateRecords;
import dev.quire.yjs.model.YDoc;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Compares the PostgreSQL projection with the Kafka log it was derived from: the log is read whole with a
 * plain {@code read_committed} consumer, then the history, the positions and every snapshot are checked
 * against it record for record.
 */
final class ProjectionCheck {
    /** One record of the log, as a plain consumer sees it. */
    record LogRecord(int partition, long offset, byte[] key, byte[] value, String origin, long timestamp) {
        String document() {
            return key == null ? null : new String(key, StandardCharsets.UTF_8);
        }

        String position() {
            return partition + "@" + offset;
        }
    }

    /** The whole log and its end offsets. */
    record Log(List<LogRecord> records, Map<Integer, Long> endOffsets) {
        long size() {
            return records.size();
        }
    }

    /** What a check found (for the test's log line). */
    record Summary(int historyRows, int quarantined, int snapshots, int documents) {
    }

    private ProjectionCheck() {
    }

    /** Reads every record of the test topic from the beginning to the current end. */
    static Log readLog(TestServices s) {
        Properties p = s.kafka().clientProperties();
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("max.poll.records", "5000");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo pi : c.partitionsFor(s.topic)) {
                tps.add(new TopicPartition(s.topic, pi.partition()));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            List<LogRecord> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read the log to its end " + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new LogRecord(r.partition(), r.offset(), r.key(), r.value(),
                            UpdateRecords.header(r.headers(), UpdateRecords.ORIGIN_HEADER), r.timestamp()));
                }
            }
            Map<Integer, Long> ends = new TreeMap<>();
            end.forEach((tp, o) -> ends.put(tp.partition(), o));
            out.removeIf(r -> r.offset() >= ends.get(r.partition()));
            out.sort((a, b) -> a.partition() != b.partition() ? Integer.compare(a.partition(), b.partition())
                    : Long.compare(a.offset(), b.offset()));
            return new Log(out, ends);
        }
    }

    /** The stored next offsets of the test's consumer group, by partition. */
    static Map<Integer, Long> storedPositions(TestServices s) throws SQLException {
        Map<Integer, Long> out = new TreeMap<>();
        try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT topic_partition, next_offset FROM consumer_offsets WHERE consumer_group = ? AND topic = ?")) {
            ps.setString(1, s.env.get("QUIRE_PERSISTER_GROUP"));
            ps.setString(2, s.env.get("QUIRE_KAFKA_TOPIC"));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) { // undefined table: the schema is not migrated yet
                throw e;
            }
        }
        return out;
    }

    /** Waits until the stored positions reach the end offsets of every non-empty partition. */
    static void awaitCaughtUp(TestServices s, Map<Integer, Long> endOffsets, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Long> stored = Map.of();
        while (System.nanoTime() < deadline) {
            stored = storedPositions(s);
            if (caughtUp(stored, endOffsets)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the persister did not catch up within " + timeout + ": stored " + stored + ", end " + endOffsets);
    }

    static boolean caughtUp(Map<Integer, Long> stored, Map<Integer, Long> endOffsets) {
        for (Map.Entry<Integer, Long> e : endOffsets.entrySet()) {
            if (e.getValue() > 0 && !e.getValue().equals(stored.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Asserts the projection equals the log: every record is either one history row (same partition, offset,
     * document, bytes, origin and timestamp) or one quarantined row, none missing, none extra, none twice;
     * the positions equal the end offsets; every snapshot equals the log's updates of its document up to
     * its offset (state bytes, state vector, content) and counts them.
     */
    static Summary assertProjectionEqualsLog(TestServices s, Log log) throws SQLException {
        Set<String> quarantined = new HashSet<>();
        int quarantinedRows;
        try (Connection c = s.connect()) {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT topic_partition, kafka_offset FROM quarantined_records")) {
                while (rs.next()) {
                    quarantined.add(rs.getInt(1) + "@" + rs.getLong(2));
                }
            }
            quarantinedRows = (int) s.count("SELECT count(*) FROM quarantined_records");
            assertThat(quarantined).as("quarantined rows are distinct").hasSize(quarantinedRows);

            // history = the log minus the quarantined records, record for record, in (partition, offset) order
            List<LogRecord> expected = log.records().stream().filter(r -> !quarantined.contains(r.position())).toList();
            Set<String> logPositions = new HashSet<>();
            log.records().forEach(r -> logPositions.add(r.position()));
            assertThat(logPositions).as("every quarantined row is a record of the log").containsAll(quarantined);
            int rows = 0;
            List<String> mismatches = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT topic_partition, kafka_offset, document, update_v1, origin, kafka_timestamp FROM document_updates "
                    + "ORDER BY topic_partition, kafka_offset")) {
                while (rs.next()) {
                    String at = rs.getInt(1) + "@" + rs.getLong(2);
                    if (rows >= expected.size()) {
                        mismatches.add("extra row " + at);
                    } else {
                        LogRecord r = expected.get(rows);
                        if (!r.position().equals(at)) {
                            mismatches.add("row " + rows + " is " + at + ", the log has " + r.position() + " there");
                        } else if (!r.document().equals(rs.getString(3)) || !Arrays.equals(r.value(), rs.getBytes(4))
                                || !java.util.Objects.equals(storedOrigin(r.origin()), rs.getString(5))
                                || rs.getTimestamp(6).toInstant().toEpochMilli() != r.timestamp()) {
                            mismatches.add("row " + at + " differs from the log record");
                        }
                    }
                    rows++;
                    if (mismatches.size() > 10) {
                        break;
                    }
                }
            }
            assertThat(mismatches).as("history vs log").isEmpty();
            assertThat(rows).as("history rows vs log records not quarantined").isEqualTo(expected.size());

            // positions = end offsets
            Map<Integer, Long> stored = storedPositions(s);
            for (Map.Entry<Integer, Long> e : log.endOffsets().entrySet()) {
                if (e.getValue() > 0) {
                    assertThat(stored.get(e.getKey())).as("next_offset of partition " + e.getKey()).isEqualTo(e.getValue());
                }
            }

            // snapshots: each equals the document's history up to its offset
            Map<String, List<LogRecord>> byDoc = new LinkedHashMap<>();
            for (LogRecord r : expected) {
                byDoc.computeIfAbsent(r.document(), d -> new ArrayList<>()).add(r);
            }
            int snapshots = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT document, topic_partition, up_to_offset, state_v1, state_vector, update_count FROM document_snapshots "
                    + "ORDER BY document, up_to_offset"); ResultSet rs = ps.executeQuery()) {
                Map<String, List<Object[]>> snaps = new HashMap<>();
                while (rs.next()) {
                    snaps.computeIfAbsent(rs.getString(1), d -> new ArrayList<>())
                            .add(new Object[] {rs.getInt(2), rs.getLong(3), rs.getBytes(4), rs.getBytes(5), rs.getLong(6)});
                }
                for (Map.Entry<String, List<Object[]>> e : snaps.entrySet()) {
                    List<LogRecord> history = byDoc.get(e.getKey());
                    assertThat(history).as("history of snapshotted document " + e.getKey()).isNotNull();
                    YDoc doc = new YDoc(0, true);
                    int applied = 0;
                    for (Object[] snap : e.getValue()) {
                        long upTo = (Long) snap[1];
                        while (applied < history.size() && history.get(applied).offset() <= upTo) {
                            doc.applyUpdate(history.get(applied).value());
                            applied++;
                        }
                        String what = "snapshot of " + e.getKey() + " up to " + upTo;
                        assertThat(applied).as(what + ": it ends at an update of its document").isPositive();
                        assertThat(history.get(applied - 1).offset()).as(what + " ends at an update of its document").isEqualTo(upTo);
                        assertThat((Integer) snap[0]).as(what + ": partition").isEqualTo(history.get(0).partition());
                        assertThat((Long) snap[4]).as(what + ": update_count").isEqualTo(applied);
                        assertThat((byte[]) snap[3]).as(what + ": state vector").isEqualTo(doc.encodeStateVector());
                        YDoc fromSnapshot = new YDoc(0, true);
                        fromSnapshot.applyUpdate((byte[]) snap[2]);
                        assertThat(content(fromSnapshot)).as(what + ": content").isEqualTo(content(doc));
                        assertThat(fromSnapshot.encodeStateVector()).as(what + ": state vector of its state")
                                .isEqualTo(doc.encodeStateVector());
                        assertThat((byte[]) snap[2]).as(what + ": state bytes").isEqualTo(doc.encodeStateAsUpdate(null));
                        snapshots++;
                    }
                }
            }
            return new Summary(rows, quarantinedRows, snapshots, byDoc.size());
        }
    }

    /** The origin as PostgreSQL text can hold it: U+0000 replaced by U+FFFD. */
    static String storedOrigin(String origin) {
        return origin == null ? null : origin.replace('\u0000', '\ufffd');
    }

    /** The content of the roots the tests write: text "content" (as delta) and map "meta". */
    static String content(YDoc doc) {
        return doc.getText("content").toDelta() + " " + doc.getMap("meta").toJSON();
    }
}
