package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.kafka.Topics;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.yjs.model.YDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records that reach PostgreSQL and can never be stored there (a document name over the limit, a row PostgreSQL
 * refuses with a data error, a snapshot it refuses) among good records of other documents: the good records are
 * stored, the bad one is quarantined, and the persister's positions move past it. Each of these stopped the
 * persister for every document before: it rolled the batch back and retried it for ever.
 */
@Timeout(150)
class PoisonRecordIT {
    private static final String DATABASE_ERRORS = "quire_persister_errors_total{kind=\"database\"}";
    private static final String DATA_ERRORS = "quire_persister_errors_total{kind=\"data\"}";

    @Test
    void aDocumentNameOverTheLimitIsQuarantinedAndEveryOtherRecordIsPersisted() throws Exception {
        try (TestServices s = new TestServices(3, 5)) {
            Topics.ensure(s.kafka());
            Editors editors = new Editors(s);
            String longest = "b-" + "é".repeat(511); // 1,024 bytes of UTF-8: the longest name allowed
            assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
            List<String> documents = List.of("doc-a", "doc-b", "doc-c-é😀", longest);
            for (int i = 0; i < 6; i++) {
                documents.forEach(editors::edit);
            }
            Random rnd = new Random(42);
            StringBuilder name = new StringBuilder("long-");
            for (int i = 0; i < 3000; i++) {
                name.append((char) ('a' + rnd.nextInt(26)));
            }
            byte[] update = Editors.anUpdate(77, "written under a name PostgreSQL cannot index");
            RecordMetadata poison = s.produce(name.toString(), update);
            for (int i = 0; i < 6; i++) {
                documents.forEach(editors::edit);
            }

            try (Persister p = Persister.start(s.env())) {
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));

                Map<Integer, Long> stored = ProjectionCheck.storedPositions(s);
                assertThat(stored.get(poison.partition())).as("position of the long name's partition").isGreaterThan(poison.offset());
                assertThat(s.count("SELECT count(*) FROM quarantined_records")).isEqualTo(1);
                try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                        "SELECT reason, document, key_bytes, value_bytes, error_detail FROM quarantined_records "
                        + "WHERE topic_partition = ? AND kafka_offset = ?")) {
                    ps.setInt(1, poison.partition());
                    ps.setLong(2, poison.offset());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("the long name's record is quarantined").isTrue();
                        assertThat(rs.getString(1)).isEqualTo("INVALID_KEY");
                        assertThat(rs.getString(2)).as("document: not a name the store holds").isNull();
                        assertThat(rs.getBytes(3)).as("the raw key, kept").isEqualTo(UpdateRecords.keyOf(name.toString()));
                        assertThat(rs.getBytes(4)).isEqualTo(update);
                        assertThat(rs.getString(5)).contains("1024");
                    }
                }
                ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
                assertThat(summary.historyRows()).isEqualTo(documents.size() * 12);
                assertThat(summary.documents()).isEqualTo(documents.size());
                assertThat(s.count("SELECT count(*) FROM document_updates WHERE document = '" + longest + "'")).isEqualTo(12);
                String metrics = p.scrapeMetrics();
                assertThat(QuarantineIT.metric(metrics, DATABASE_ERRORS)).isZero();
                assertThat(QuarantineIT.metric(metrics, "quire_persister_quarantined_total")).isEqualTo(1);
                assertThat(ready(p)).isEqualTo(200);
            }
        }
    }

    @Test
    void aRecordPostgresRefusesIsQuarantinedAsUnstorableAndTheRestOfItsBatchIsPersisted() throws Exception {
        try (TestServices s = new TestServices(2, 5)) {
            migrate(s);
            // passes the classifier, but PostgreSQL refuses its row with a data exception (22023), as it would a value it cannot hold
            sql(s, "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.document = 'refused' THEN RAISE EXCEPTION 'this row is refused' USING ERRCODE = '22023'; END IF; "
                    + "RETURN NEW; END $$",
                    "CREATE TRIGGER refuse_row BEFORE INSERT ON document_updates FOR EACH ROW EXECUTE FUNCTION refuse_row()");
            Topics.ensure(s.kafka());
            Editors editors = new Editors(s);
            List<String> documents = List.of("good-0", "good-1", "good-2", "good-3");
            for (int i = 0; i < 8; i++) {
                documents.forEach(editors::edit);
            }
            byte[] update = Editors.anUpdate(88, "refused by PostgreSQL");
            RecordMetadata refused = s.produce("refused", update);
            for (int i = 0; i < 8; i++) {
                documents.forEach(editors::edit);
            }

            try (Persister p = Persister.start(s.env())) {
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));

                assertThat(s.count("SELECT count(*) FROM quarantined_records")).isEqualTo(1);
                try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                        "SELECT reason, document, key_bytes, value_bytes, error_detail, headers->0->>'key' FROM quarantined_records "
                        + "WHERE topic_partition = ? AND kafka_offset = ?")) {
                    ps.setInt(1, refused.partition());
                    ps.setLong(2, refused.offset());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("the refused record is quarantined").isTrue();
                        assertThat(rs.getString(1)).isEqualTo("UNSTORABLE");
                        assertThat(rs.getString(2)).isEqualTo("refused");
                        assertThat(rs.getBytes(3)).isEqualTo(UpdateRecords.keyOf("refused"));
                        assertThat(rs.getBytes(4)).isEqualTo(update);
                        assertThat(rs.getString(5)).contains("22023").contains("this row is refused");
                        assertThat(rs.getString(6)).isEqualTo(UpdateRecords.ORIGIN_HEADER);
                    }
                }
                ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
                assertThat(summary.historyRows()).isEqualTo(documents.size() * 16);
                assertThat(summary.snapshots()).isGreaterThanOrEqualTo(documents.size());
                String metrics = p.scrapeMetrics();
                assertThat(QuarantineIT.metric(metrics, DATABASE_ERRORS)).as("a refused record is not an outage").isZero();
                assertThat(QuarantineIT.metric(metrics, DATA_ERRORS)).isPositive();
                assertThat(QuarantineIT.metric(metrics, "quire_persister_quarantined_total")).isEqualTo(1);
                assertThat(ready(p)).isEqualTo(200);

                // the persister goes on: once PostgreSQL takes the document again, its next record is stored
                sql(s, "DROP TRIGGER refuse_row ON document_updates", "DROP FUNCTION refuse_row()");
                s.produce("refused", Editors.anUpdate(89, "taken again"));
                editors.edit("good-0");
                ProjectionCheck.awaitCaughtUp(s, ProjectionCheck.readLog(s).endOffsets(), Duration.ofSeconds(30));
                assertThat(s.count("SELECT count(*) FROM document_updates WHERE document = 'refused'")).isEqualTo(1);
                assertThat(s.count("SELECT count(*) FROM quarantined_records")).isEqualTo(1);
            }
        }
    }

    @Test
    void aSnapshotPostgresRefusesBlocksNeitherThePartitionNorTheOtherDocumentsSnapshots() throws Exception {
        try (TestServices s = new TestServices(1, 5)) {
            s.env.put("QUIRE_SNAPSHOT_INTERVAL", "1s");
            migrate(s);
            // 54000: what PostgreSQL says of a value over one of its limits
            sql(s, "CREATE FUNCTION refuse_snapshot() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "IF NEW.document = 'no-snapshot' THEN RAISE EXCEPTION 'this snapshot is refused' USING ERRCODE = '54000'; END IF; "
                    + "RETURN NEW; END $$",
                    "CREATE TRIGGER refuse_snapshot BEFORE INSERT ON document_snapshots FOR EACH ROW EXECUTE FUNCTION refuse_snapshot()");
            Topics.ensure(s.kafka());
            Editors editors = new Editors(s);
            for (int i = 0; i < 12; i++) { // both past the snapshot threshold (5) in the first batch
                editors.edit("snapshotted");
                editors.edit("no-snapshot");
            }

            try (Persister p = Persister.start(s.env())) {
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));
                assertThat(s.count("SELECT count(*) FROM document_updates")).isEqualTo(24);
                assertThat(s.count("SELECT count(*) FROM document_snapshots WHERE document = 'snapshotted'")).isPositive();

                // time-based snapshots: the refused one is due together with one PostgreSQL takes
                for (int i = 0; i < 2; i++) {
                    editors.edit("no-snapshot");
                    editors.edit("small");
                }
                PersisterIT.awaitCount(s, "SELECT count(*) FROM document_snapshots WHERE document = 'small'", 1, Duration.ofSeconds(20));
                log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));
                assertThat(s.count("SELECT count(*) FROM document_snapshots WHERE document = 'no-snapshot'")).isZero();
                assertThat(s.count("SELECT count(*) FROM quarantined_records")).as("the records are not at fault").isZero();
                ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
                assertThat(summary.historyRows()).isEqualTo(28);
                String metrics = p.scrapeMetrics();
                assertThat(QuarantineIT.metric(metrics, DATABASE_ERRORS)).isZero();
                assertThat(QuarantineIT.metric(metrics, DATA_ERRORS)).isPositive();
                assertThat(ready(p)).isEqualTo(200);

                // once PostgreSQL takes it, the document gets its snapshot with its next update
                sql(s, "DROP TRIGGER refuse_snapshot ON document_snapshots", "DROP FUNCTION refuse_snapshot()");
                editors.edit("no-snapshot");
                PersisterIT.awaitCount(s, "SELECT count(*) FROM document_snapshots WHERE document = 'no-snapshot'", 1,
                        Duration.ofSeconds(20));
                log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));
                ProjectionCheck.assertProjectionEqualsLog(s, log);
            }
        }
    }

    /** One Y.Doc per document; every edit is produced at once, in order. */
    static final class Editors {
        private final TestServices s;
        private final Map<String, YDoc> docs = new HashMap<>();

        Editors(TestServices s) {
            this.s = s;
        }

        void edit(String document) {
            YDoc doc = docs.computeIfAbsent(document, d -> {
                YDoc y = new YDoc(500 + docs.size(), true);
                y.onUpdate((u, tr) -> {
                    try {
                        s.produce(d, u);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                return y;
            });
            var text = doc.getText("content");
            text.insert(text.length(), "edit " + text.length() + " ");
        }

        /** A valid update of a document of its own. */
        static byte[] anUpdate(long client, String text) {
            YDoc doc = new YDoc(client, true);
            byte[][] out = new byte[1][];
            doc.onUpdate((u, tr) -> out[0] = u);
            doc.getText("content").insert(0, text);
            return out[0];
        }
    }

    static void migrate(TestServices s) {
        try (Database ignored = Database.open(new DatabaseSettings(s.env()))) {
            // the schema exists and is migrated before the persister starts, so a test can change it first
        }
    }

    static void sql(TestServices s, String... statements) throws Exception {
        try (Connection c = s.connect()) {
            for (String st : statements) {
                c.createStatement().execute(st);
            }
        }
    }

    static int ready(Persister p) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/health/ready"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
