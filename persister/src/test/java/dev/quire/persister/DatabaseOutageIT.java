package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.config.Env;
import dev.quire.core.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL failing under a running persister, in the test's own schema only (the shared server keeps
 * running): first every history insert fails (a {@code CHECK (false)} constraint), then the history table
 * is locked so writes stall, then the persister's connections are terminated again and again mid-batch.
 * Updates are produced all along. The persister survives all three, backs off while writes fail, and
 * afterwards the projection equals the log: nothing lost, nothing twice.
 */
@Timeout(180)
class DatabaseOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageIT.class);
    private static final String ERRORS = "quire_persister_errors_total{kind=\"database\"}";

    @Test
    void persisterSurvivesFailingStalledAndDroppedDatabaseConnectionsWithoutLosingOrDuplicatingARow() throws Exception {
        try (TestServices s = new TestServices(3, 20)) {
            Topics.ensure(s.kafka());
            String app = "quire-outage-" + s.id;
            Map<String, String> env = new HashMap<>(s.env); // the persister's sessions get a name of their own
            String url = env.get("QUIRE_DATABASE_URL");
            env.put("QUIRE_DATABASE_URL", url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + app);
            List<ProducerRecord<byte[], byte[]>> records = ExactlyOnceIT.edits(s.topic, new Random(7));
            AtomicReference<Exception> sendError = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    int i = 0;
                    for (ProducerRecord<byte[], byte[]> r : records) { // about 18 s of updates
                        s.producer().send(r, (m, e) -> {
                            if (e != null) {
                                sendError.set(e);
                            }
                        });
                        if (++i % 10 == 0) {
                            Thread.sleep(30);
                        }
                    }
                    s.producer().flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-producer");

            try (Persister p = Persister.start(new Env(env)); Connection admin = s.connect()) {
                producer.start();
                PersisterIT.awaitCount(s, "SELECT count(*) FROM document_updates", 200, Duration.ofSeconds(30));

                // 1. every history insert fails for 4 s
                admin.createStatement().execute("ALTER TABLE document_updates ADD CONSTRAINT outage_check CHECK (false) NOT VALID");
                double errorsBefore = QuarantineIT.metric(p.scrapeMetrics(), ERRORS);
                long rowsAtFailure = s.count("SELECT count(*) FROM document_updates");
                Thread.sleep(4_000);
                double failed = QuarantineIT.metric(p.scrapeMetrics(), ERRORS) - errorsBefore;
                assertThat(s.count("SELECT count(*) FROM document_updates")).as("no row while inserts fail").isEqualTo(rowsAtFailure);
                admin.createStatement().execute("ALTER TABLE document_updates DROP CONSTRAINT outage_check");
                LOG.info("inserts failed for 4 s: {} failed batches (exponential back-off from 200 ms)", failed);
                assertThat(failed).as("failed batches while inserts fail").isPositive();
                assertThat(failed).as("retries back off (200, 400, 800 ms...) rather than spin").isLessThanOrEqualTo(8);
                awaitMore(s, rowsAtFailure);

                // 2. the history table is locked for 3 s: writes wait, nothing fails
                double errorsBeforeLock = QuarantineIT.metric(p.scrapeMetrics(), ERRORS);
                admin.setAutoCommit(false);
                admin.createStatement().execute("LOCK TABLE document_updates IN ACCESS EXCLUSIVE MODE");
                Thread.sleep(3_000);
                assertThat(blockedSessions(s, app)).as("persister sessions waiting for the lock").isPositive();
                admin.commit();
                admin.setAutoCommit(true);
                long rowsAfterLock = s.count("SELECT count(*) FROM document_updates");
                awaitMore(s, rowsAfterLock);
                assertThat(QuarantineIT.metric(p.scrapeMetrics(), ERRORS)).as("a stall is not an error").isEqualTo(errorsBeforeLock);

                // 3. the persister's connections are terminated every 150 ms for 3 s (mid-batch, most of them)
                int terminated = 0;
                for (long until = System.nanoTime() + 3_000_000_000L; System.nanoTime() < until; ) {
                    try (PreparedStatement ps = admin.prepareStatement(
                            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?")) {
                        ps.setString(1, app);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            terminated += rs.getInt(1);
                        }
                    }
                    Thread.sleep(150);
                }
                LOG.info("terminated {} persister connections", terminated);
                assertThat(terminated).isPositive();

                producer.join(60_000);
                assertThat(sendError.get()).isNull();
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                assertThat(log.size()).isEqualTo(records.size());
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(60));

                HttpResponse<String> ready = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as("the consume loop is alive").isEqualTo(200);
                double errors = QuarantineIT.metric(p.scrapeMetrics(), ERRORS);
                assertThat(errors).isGreaterThan(failed);
                ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
                assertThat(summary.historyRows()).isEqualTo(records.size());
                LOG.info("after the outages: {} rows, {} snapshots, all equal to the log; {} database errors counted",
                        summary.historyRows(), summary.snapshots(), errors);
            } finally {
                producer.interrupt();
            }
        }
    }

    private static void awaitMore(TestServices s, long rows) throws Exception {
        PersisterIT.awaitCount(s, "SELECT count(*) FROM document_updates", rows + 1, Duration.ofSeconds(30));
    }

    private static int blockedSessions(TestServices s, String app) throws Exception {
        try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'")) {
            ps.setString(1, app);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
