package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.core.kafka.Topics;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.yjs.model.YDoc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Rebuild} against snapshots the live persister wrote from real Kafka into real PostgreSQL. */
@Timeout(180)
class RebuildIT {
    private static final int SNAPSHOT_EVERY = 10;

    /** A produced update and where Kafka put it. */
    private record Produced(String document, byte[] update, long offset) {
    }

    /** One stored snapshot row, compared column by column. */
    private record Row(int partition, byte[] state, byte[] stateVector, long updateCount) {
        boolean sameAs(Row o) {
            return partition == o.partition && Arrays.equals(state, o.state) && Arrays.equals(stateVector, o.stateVector)
                    && updateCount == o.updateCount;
        }
    }

    @Test
    void rebuildEqualsTheLiveSnapshotsAndRepairsACorruptedOne() throws Exception {
        try (TestServices s = new TestServices(2, SNAPSHOT_EVERY)) {
            s.env.put("QUIRE_SNAPSHOT_INTERVAL", "1h"); // only count-based snapshots: the small document gets none
            Topics.ensure(s.kafka());
            List<Produced> produced = new ArrayList<>();
            List<Editor> editors = new ArrayList<>();
            for (int d = 0; d < 4; d++) {
                editors.add(new Editor(s, "doc-" + d, d, produced));
            }
            try (Persister p = Persister.start(s.env())) {
                // rounds of edits, each persisted before the next, so that every document gets a chain of snapshots
                for (int round = 0; round < 4; round++) {
                    for (Editor e : editors) {
                        e.edit(SNAPSHOT_EVERY + e.seed);
                    }
                    awaitCount(s, "SELECT count(*) FROM document_updates", produced.size());
                }
                new Editor(s, "small", 99, produced).edit(3);
                awaitCount(s, "SELECT count(*) FROM document_updates", produced.size());
            } // count-based snapshots commit with their batch: all are written once the history is complete

            Map<String, Row> live = snapshots(s);
            assertThat(live.keySet().stream().filter(k -> k.startsWith("doc-3@"))).hasSizeGreaterThanOrEqualTo(3);
            assertThat(live.keySet()).noneMatch(k -> k.startsWith("small@"));

            try (Database db = Database.open(new DatabaseSettings(s.env()))) {
                Rebuild rebuild = new Rebuild(db.dataSource());
                List<String> progress = new ArrayList<>();
                Rebuild.Report report = rebuild.run(null, (done, total, document) -> progress.add(done + "/" + total + " " + document));

                assertThat(report.ok()).as("failures %s", report.failures()).isTrue();
                assertThat(report.documents()).isEqualTo(5);
                assertThat(report.differed()).as("live snapshots that differ from the rebuilt ones").isEmpty();
                assertThat(report.created()).containsExactly(new Rebuild.SnapshotRef("small", lastOffset(produced, "small")));
                assertThat(report.recomputed()).isEqualTo(live.size() + 1);
                assertThat(progress).hasSize(5).first().asString().startsWith("1/5 ");
                assertThat(progress).last().asString().startsWith("5/5 ");
                Map<String, Row> rebuilt = snapshots(s);
                live.forEach((k, row) -> assertThat(rebuilt.get(k).sameAs(row)).as("snapshot %s byte-equal after rebuild", k).isTrue());
                // the created snapshot holds the whole small document
                YDoc fromSnapshot = new YDoc(0, true);
                fromSnapshot.applyUpdate(rebuilt.get("small@" + lastOffset(produced, "small")).state());
                assertThat(fromSnapshot.getText("content").toString()).isEqualTo(textOf(produced, "small"));

                // corrupt one stored snapshot in the middle of a chain: the rebuild of its document replaces it
                String victim = live.keySet().stream().filter(k -> k.startsWith("doc-3@")).skip(1).findFirst().orElseThrow();
                long victimOffset = Long.parseLong(victim.substring(victim.indexOf('@') + 1));
                try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                        "UPDATE document_snapshots SET state_v1 = ? WHERE document = 'doc-3' AND up_to_offset = ?")) {
                    ps.setBytes(1, new byte[] {0, 0});
                    ps.setLong(2, victimOffset);
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                Rebuild.Report repaired = rebuild.run("doc-3", Rebuild.Progress.NONE);

                assertThat(repaired.documents()).isEqualTo(1);
                assertThat(repaired.differed()).containsExactly(new Rebuild.SnapshotRef("doc-3", victimOffset));
                assertThat(snapshots(s).get(victim).sameAs(live.get(victim))).as("repaired snapshot equals the live one").isTrue();
                assertThat(rebuild.run(null, Rebuild.Progress.NONE).differed()).isEmpty();

                assertThatThrownBy(() -> rebuild.run("nope", Rebuild.Progress.NONE))
                        .isInstanceOf(Rebuild.UnknownDocumentException.class)
                        .hasMessageContaining("unknown document 'nope'");
            }
        }
    }

    @Test
    void aDocumentWhoseHistoryLacksASnapshotsLastUpdateFailsAndKeepsItsSnapshot() throws Exception {
        try (TestServices s = new TestServices(1, SNAPSHOT_EVERY)) {
            s.env.put("QUIRE_SNAPSHOT_INTERVAL", "1h");
            Topics.ensure(s.kafka());
            List<Produced> produced = new ArrayList<>();
            new Editor(s, "gappy", 7, produced).edit(25);
            new Editor(s, "fine", 8, produced).edit(12);
            try (Persister p = Persister.start(s.env())) {
                awaitCount(s, "SELECT count(*) FROM document_updates", produced.size());
            }
            Map<String, Row> live = snapshots(s);
            String first = live.keySet().stream().filter(k -> k.startsWith("gappy@")).findFirst().orElseThrow();
            long offset = Long.parseLong(first.substring(first.indexOf('@') + 1));
            try (Connection c = s.connect()) {
                c.createStatement().executeUpdate("DELETE FROM document_updates WHERE document = 'gappy' AND kafka_offset = " + offset);
            }
            try (Database db = Database.open(new DatabaseSettings(s.env()))) {
                Rebuild.Report report = new Rebuild(db.dataSource()).run(null, Rebuild.Progress.NONE);

                assertThat(report.ok()).isFalse();
                assertThat(report.failures()).singleElement().satisfies(f -> {
                    assertThat(f.document()).isEqualTo("gappy");
                    assertThat(f.reason()).contains("no update at offset " + offset);
                });
                assertThat(report.differed()).isEmpty();
                assertThat(snapshots(s).get(first).sameAs(live.get(first))).isTrue();
            }
        }
    }

    // ------------------------------------------------------------------------------------- helpers

    /** Edits one document (root text "content", a map entry now and then) and produces each update as it happens. */
    private static final class Editor {
        final long seed;
        private final Random rnd;
        private final YDoc doc;
        private int edits;

        Editor(TestServices s, String document, long seed, List<Produced> out) {
            this.seed = seed;
            this.rnd = new Random(seed);
            this.doc = new YDoc(1000 + seed, true);
            doc.onUpdate((u, tr) -> {
                try {
                    RecordMetadata m = s.produce(document, u);
                    out.add(new Produced(document, u, m.offset()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        void edit(long updates) {
            var text = doc.getText("content");
            for (int i = 0; i < updates; i++, edits++) {
                if (edits % 9 == 4) {
                    doc.getMap("meta").set("edit", (double) edits);
                } else if (text.length() > 0 && rnd.nextInt(4) == 0) {
                    text.delete(rnd.nextInt((int) text.length()), 1);
                } else {
                    text.insert(rnd.nextInt((int) text.length() + 1), "abcdefgh".substring(rnd.nextInt(8)));
                }
            }
        }
    }

    private static long lastOffset(List<Produced> produced, String document) {
        return produced.stream().filter(p -> p.document().equals(document)).mapToLong(Produced::offset).max().orElseThrow();
    }

    private static String textOf(List<Produced> produced, String document) {
        YDoc doc = new YDoc(0, true);
        produced.stream().filter(p -> p.document().equals(document)).forEach(p -> doc.applyUpdate(p.update()));
        return doc.getText("content").toString();
    }

    /** Every stored snapshot by {@code document@offset}, in document and offset order. */
    private static Map<String, Row> snapshots(TestServices s) throws Exception {
        Map<String, Row> out = new LinkedHashMap<>();
        try (Connection c = s.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT document, up_to_offset, topic_partition, state_v1, state_vector, update_count FROM document_snapshots "
                        + "ORDER BY document, up_to_offset")) {
            while (rs.next()) {
                out.put(rs.getString(1) + "@" + rs.getLong(2), new Row(rs.getInt(3), rs.getBytes(4), rs.getBytes(5), rs.getLong(6)));
            }
        }
        return out;
    }

    private static void awaitCount(TestServices s, String sql, long expected) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
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
}
