package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.core.postgres.DocumentReplay;
import dev.quire.core.postgres.Snapshot;
import dev.quire.yjs.Updates;
import dev.quire.yjs.model.YDoc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The persister against real Kafka and PostgreSQL, in process. */
@Timeout(180)
class PersisterIT {

    /** A produced update and where Kafka put it. */
    record Produced(String document, byte[] update, int partition, long offset) {
    }

    static List<Produced> produceEdits(TestServices s, int documents, int updatesPerDocument, long seed) throws Exception {
        Random rnd = new Random(seed);
        Map<String, YDoc> docs = new HashMap<>();
        List<Produced> out = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int d = 0; d < documents; d++) {
            String name = "doc-" + d + (d % 3 == 0 ? "-é😀" : "");
            names.add(name);
            YDoc doc = new YDoc(1000 + d, true);
            doc.onUpdate((u, tr) -> {
                try {
                    RecordMetadata m = s.produce(name, u);
                    out.add(new Produced(name, u, m.partition(), m.offset()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            docs.put(name, doc);
        }
        for (int i = 0; i < updatesPerDocument; i++) {
            for (String name : names) {
                var text = docs.get(name).getText("content");
                if (text.length() > 0 && rnd.nextInt(4) == 0) {
                    text.delete(rnd.nextInt((int) text.length()), 1);
                } else {
                    text.insert(rnd.nextInt((int) text.length() + 1), "abcdefgh".substring(rnd.nextInt(8)));
                }
            }
        }
        return out;
    }

    static void awaitCount(TestServices s, String sql, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = -1;
        while (System.nanoTime() < deadline) {
            try {
                n = s.count(sql);
                if (n >= expected) {
                    return;
                }
            } catch (java.sql.SQLException e) {
                // the schema may not exist yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + expected + " from " + sql + ", last " + n);
    }

    /**
     * Scrapes the lag while the persister works through records produced before it started: it must not read 0
     * before all of them are stored (it did at start, and stayed up to 10 s behind).
     */
    static void awaitLagZeroOnlyOnceStored(Persister p, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String scrape = p.scrapeMetrics();
            double lag = QuarantineIT.metric(scrape, "quire_persister_lag");
            double stored = QuarantineIT.metric(scrape, "quire_persister_updates_total")
                    + QuarantineIT.metric(scrape, "quire_persister_quarantined_total");
            if (lag == 0) {
                assertThat(stored).as("records stored when the lag first read 0").isEqualTo(records);
                return;
            }
            assertThat(System.nanoTime()).as("the lag never reached 0").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void persistsEveryUpdateOnceQuarantinesTheRestAndSnapshots() throws Exception {
        try (TestServices s = new TestServices(3, 20)) {
            dev.quire.core.kafka.Topics.ensure(s.kafka());
            List<Produced> produced = produceEdits(s, 6, 40, 1);
            s.produce((String) null, new byte[] {1, 2, 3});                     // no key
            s.produce(new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {0});   // key not UTF-8
            s.produce("doc-bad", new byte[] {1, 1, 1, 1, 1});                   // not an update
            try (Persister p = Persister.start(s.env())) {
                awaitLagZeroOnlyOnceStored(p, produced.size() + 3);
                awaitCount(s, "SELECT count(*) FROM document_updates", produced.size(), Duration.ofSeconds(60));
                awaitCount(s, "SELECT count(*) FROM quarantined_records", 3, Duration.ofSeconds(30));
                assertThat(p.scrapeMetrics()).contains("quire_persister_updates_total");
            }
            // every produced update is in the history, at its (partition, offset), byte for byte, once
            try (Connection c = s.connect(); ResultSet rs = c.createStatement().executeQuery(
                    "SELECT topic_partition, kafka_offset, document, update_v1, origin FROM document_updates ORDER BY topic_partition, kafka_offset")) {
                Map<String, Produced> byPosition = new HashMap<>();
                produced.forEach(pr -> byPosition.put(pr.partition() + "@" + pr.offset(), pr));
                int rows = 0;
                while (rs.next()) {
                    Produced pr = byPosition.get(rs.getInt(1) + "@" + rs.getLong(2));
                    assertThat(pr).isNotNull();
                    assertThat(rs.getString(3)).isEqualTo(pr.document());
                    assertThat(rs.getBytes(4)).isEqualTo(pr.update());
                    assertThat(rs.getString(5)).isEqualTo("test");
                    rows++;
                }
                assertThat(rows).isEqualTo(produced.size());
            }
            assertThat(s.count("SELECT count(*) FROM quarantined_records WHERE reason = 'MALFORMED_UPDATE' AND error_detail LIKE '%at byte%'"))
                    .isEqualTo(1);
            assertThat(s.count("SELECT count(*) FROM quarantined_records WHERE reason IN ('MISSING_KEY', 'INVALID_KEY')")).isEqualTo(2);
            assertThat(s.count("SELECT count(*) FROM document_snapshots")).isGreaterThanOrEqualTo(6);

            // snapshots and replay equal the merge of the log up to the same offset
            DatabaseSettings db = new DatabaseSettings(s.env());
            try (Database database = Database.open(db)) {
                DocumentHistory history = new DocumentHistory(database.dataSource());
                DocumentReplay replay = new DocumentReplay(history);
                for (String document : history.documents()) {
                    for (Snapshot snap : history.snapshots(document)) {
                        YDoc expected = new YDoc(0, true);
                        produced.stream().filter(pr -> pr.document().equals(document) && pr.offset() <= snap.upToOffset())
                                .forEach(pr -> expected.applyUpdate(pr.update()));
                        YDoc fromSnapshot = new YDoc(0, true);
                        fromSnapshot.applyUpdate(snap.state());
                        assertThat(fromSnapshot.getText("content").toString()).isEqualTo(expected.getText("content").toString());
                        assertThat(snap.stateVector()).isEqualTo(expected.encodeStateVector());
                    }
                    Random rnd = new Random(document.hashCode());
                    List<Produced> docUpdates = produced.stream().filter(pr -> pr.document().equals(document)).toList();
                    for (int i = 0; i < 5; i++) {
                        Produced at = docUpdates.get(rnd.nextInt(docUpdates.size()));
                        YDoc expected = new YDoc(0, true);
                        docUpdates.stream().filter(pr -> pr.offset() <= at.offset()).forEach(pr -> expected.applyUpdate(pr.update()));
                        DocumentReplay.Version v = replay.atOffset(document, at.offset());
                        assertThat(v.doc().getText("content").toString()).isEqualTo(expected.getText("content").toString());
                        // byte-equal state: the replay and the merged log encode the same document
                        byte[] merged = Updates.mergeUpdates(docUpdates.stream().filter(pr -> pr.offset() <= at.offset()).map(Produced::update).toList());
                        YDoc fromMerge = new YDoc(0, true);
                        fromMerge.applyUpdate(merged);
                        assertThat(v.doc().encodeStateVector()).isEqualTo(fromMerge.encodeStateVector());
                        assertThat(v.doc().getText("content").toDelta()).isEqualTo(fromMerge.getText("content").toDelta());
                    }
                }
            }
        }
    }
}
