package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.core.kafka.Topics;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.model.YDoc;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records that are not Yjs updates, interleaved with valid ones on one partition, are quarantined whole and
 * never block the partition, never stop the persister and never enter a snapshot.
 */
@Timeout(120)
class QuarantineIT {
    private static final String DOC = "q-doc";

    /** What a quarantined record must look like in PostgreSQL. */
    record ExpectedQuarantine(long offset, String reason, String document, byte[] key, byte[] value, String headersJson, long timestamp) {
    }

    @Test
    void invalidRecordsBetweenValidOnesAreQuarantinedAndTheRestOfThePartitionIsPersisted() throws Exception {
        try (TestServices s = new TestServices(1, 3)) {
            Topics.ensure(s.kafka());
            List<byte[]> updates = new ArrayList<>();
            YDoc doc = new YDoc(7, true);
            doc.onUpdate((u, tr) -> updates.add(u));
            Map<Long, ExpectedQuarantine> expected = new TreeMap<>();

            edit(doc, 0);
            edit(doc, 1);
            send(s, DOC, updates.get(0));
            send(s, DOC, updates.get(1));
            // a foreign producer's value: not an update; three headers (one binary, one without value)
            byte[] notAnUpdate = "hello, not yjs".getBytes(StandardCharsets.UTF_8);
            ProducerRecord<byte[], byte[]> foreign = new ProducerRecord<>(s.topic, UpdateRecords.keyOf(DOC), notAnUpdate);
            foreign.headers().add(UpdateRecords.ORIGIN_HEADER, "foreign".getBytes(StandardCharsets.UTF_8));
            foreign.headers().add("x-bin", new byte[] {0, 1, 2, (byte) 0xff});
            foreign.headers().add("x-null", null);
            RecordMetadata m = s.send(foreign);
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "MALFORMED_UPDATE", DOC, UpdateRecords.keyOf(DOC), notAnUpdate,
                    "[{\"key\":\"quire.origin\",\"value\":\"" + b64("foreign") + "\"},{\"key\":\"x-bin\",\"value\":\"AAEC/w==\"},"
                    + "{\"key\":\"x-null\",\"value\":null}]", m.timestamp()));
            edit(doc, 2);
            send(s, DOC, updates.get(2));
            // a valid update without a key (no document)
            m = s.send(new ProducerRecord<>(s.topic, null, updates.get(2)));
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "MISSING_KEY", null, null, updates.get(2), "[]", m.timestamp()));
            edit(doc, 3);
            send(s, DOC, updates.get(3));
            // a key that is not UTF-8
            byte[] badKey = {(byte) 0xff, (byte) 0xfe};
            m = s.send(new ProducerRecord<>(s.topic, badKey, new byte[] {0}));
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "INVALID_KEY", null, badKey, new byte[] {0}, "[]", m.timestamp()));
            // a tombstone of the document
            m = s.send(new ProducerRecord<>(s.topic, UpdateRecords.keyOf(DOC), null));
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "MISSING_VALUE", DOC, UpdateRecords.keyOf(DOC), null, "[]",
                    m.timestamp()));
            edit(doc, 4);
            edit(doc, 5);
            send(s, DOC, updates.get(4));
            send(s, DOC, updates.get(5));
            // decodes as an update, but cannot be applied to the document (yjs itself throws "Unexpected case")
            byte[] inapplicable = selfReferencingItem(7, doc.stateVector().get(7L));
            Updates.validate(inapplicable, UpdateFormat.V1);
            YDoc probe = new YDoc(0, true);
            updates.forEach(probe::applyUpdate);
            assertThatThrownBy(() -> probe.applyUpdate(inapplicable)).isInstanceOf(MalformedUpdateException.class);
            ProducerRecord<byte[], byte[]> forged = new ProducerRecord<>(s.topic, UpdateRecords.keyOf(DOC), inapplicable);
            forged.headers().add(UpdateRecords.ORIGIN_HEADER, "forger".getBytes(StandardCharsets.UTF_8));
            m = s.send(forged);
            long forgedOffset = m.offset();
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "INAPPLICABLE_UPDATE", DOC, UpdateRecords.keyOf(DOC), inapplicable,
                    "[{\"key\":\"quire.origin\",\"value\":\"" + b64("forger") + "\"}]", m.timestamp()));
            for (int i = 6; i < 12; i++) {
                edit(doc, i);
                send(s, DOC, updates.get(i));
            }
            YDoc other = new YDoc(8, true);
            other.onUpdate((u, tr) -> send(s, "other", u));
            for (int i = 0; i < 5; i++) {
                other.getText("content").insert(0, "o" + i);
            }

            // PostgreSQL text cannot hold U+0000: a key with it is quarantined, in a header key or an origin it is replaced
            byte[] nulKey = "nul\u0000doc".getBytes(StandardCharsets.UTF_8);
            m = s.send(new ProducerRecord<>(s.topic, nulKey, updates.get(0)));
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "INVALID_KEY", null, nulKey, updates.get(0), "[]", m.timestamp()));
            ProducerRecord<byte[], byte[]> nulHeader = new ProducerRecord<>(s.topic, UpdateRecords.keyOf(DOC), new byte[] {9});
            nulHeader.headers().add("x\u0000h", new byte[] {1});
            m = s.send(nulHeader);
            expected.put(m.offset(), new ExpectedQuarantine(m.offset(), "MALFORMED_UPDATE", DOC, UpdateRecords.keyOf(DOC), new byte[] {9},
                    "[{\"key\":\"x\ufffdh\",\"value\":\"AQ==\"}]", m.timestamp()));
            YDoc third = new YDoc(9, true);
            third.onUpdate((u, tr) -> {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(s.topic, UpdateRecords.keyOf("third"), u);
                r.headers().add(UpdateRecords.ORIGIN_HEADER, "front\u0000one".getBytes(StandardCharsets.UTF_8));
                try {
                    s.send(r);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            third.getText("content").insert(0, "with a NUL in its origin");

            s.env.put("QUIRE_PERSISTER_MAX_BATCH", "4"); // several batches, so snapshots fall on both sides of the bad records
            try (Persister p = Persister.start(s.env())) {
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));
                PersisterIT.awaitCount(s, "SELECT count(*) FROM quarantined_records", expected.size(), Duration.ofSeconds(10));
                // the persister is alive and healthy, and never took a bad record for a database failure
                HttpResponse<String> ready = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(200);
                String metrics = p.scrapeMetrics();
                assertThat(metric(metrics, "quire_persister_quarantined_total")).isEqualTo(expected.size());
                assertThat(metric(metrics, "quire_persister_errors_total{kind=\"database\"}")).isZero();

                ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
                assertThat(summary.quarantined()).isEqualTo(expected.size());
                assertThat(summary.historyRows()).isEqualTo(12 + 6);
                assertThat(summary.snapshots()).isGreaterThanOrEqualTo(4);
                assertThat(s.count("SELECT count(*) FROM document_updates WHERE origin = 'front\ufffdone'")).isEqualTo(1);
            }
            // the quarantined rows, whole
            try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT kafka_offset, reason, document, key_bytes, value_bytes, headers = ?::jsonb, headers::text, error_detail, "
                    + "kafka_timestamp, topic, topic_partition FROM quarantined_records WHERE kafka_offset = ?")) {
                for (ExpectedQuarantine q : expected.values()) {
                    ps.setString(1, q.headersJson());
                    ps.setLong(2, q.offset());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("quarantined row at offset " + q.offset()).isTrue();
                        String what = "quarantined " + q.reason() + " at " + q.offset();
                        assertThat(rs.getString(2)).as(what).isEqualTo(q.reason());
                        assertThat(rs.getString(3)).as(what + ": document").isEqualTo(q.document());
                        assertThat(rs.getBytes(4)).as(what + ": key").isEqualTo(q.key());
                        assertThat(rs.getBytes(5)).as(what + ": value").isEqualTo(q.value());
                        assertThat(rs.getBoolean(6)).as(what + ": headers " + rs.getString(7)).isTrue();
                        assertThat(rs.getString(8)).as(what + ": detail").isNotBlank();
                        assertThat(rs.getTimestamp(9).toInstant().toEpochMilli()).as(what + ": timestamp").isEqualTo(q.timestamp());
                        assertThat(rs.getString(10)).isEqualTo(s.topic);
                        assertThat(rs.getInt(11)).isZero();
                    }
                }
            }
            // snapshots went on past the record that cannot be applied (and, as checked above, without it)
            assertThat(s.count("SELECT max(up_to_offset) FROM document_snapshots WHERE document = '" + DOC + "'"))
                    .isGreaterThan(forgedOffset);
        }
    }

    private static void edit(YDoc doc, int i) {
        if (i % 4 == 3) {
            doc.getMap("meta").set("k" + i, "v" + i);
        } else if (i % 5 == 4) {
            doc.getText("content").delete(0, 1);
        } else {
            doc.getText("content").insert(doc.getText("content").length(), "edit" + i + " ");
        }
    }

    private static void send(TestServices s, String document, byte[] update) {
        try {
            s.produce(document, update);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A v1 update with one string item of {@code client} at {@code clock} whose right origin is the item itself:
     * it decodes, but neither yjs nor Quire's engine can integrate it.
     */
    static byte[] selfReferencingItem(long client, long clock) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        varUint(b, 1);          // one client
        varUint(b, 1);          // one struct
        varUint(b, client);
        varUint(b, clock);
        b.write(0x40 | 4);      // has right origin, content: string
        varUint(b, client);
        varUint(b, clock);
        varUint(b, 1);
        b.write('x');
        varUint(b, 0);          // empty delete set
        return b.toByteArray();
    }

    private static void varUint(ByteArrayOutputStream b, long v) {
        while (v >= 0x80) {
            b.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b.write((int) v);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a Prometheus sample, by its name with labels as printed (0 when absent). */
    static double metric(String scrape, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
