package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /health/ready} of a persister whose batches keep failing: 503 with the reason once
 * {@code QUIRE_PERSISTER_UNREADY_AFTER_FAILURES} (3) batches in a row failed, 200 again once a batch committed.
 * The outage is {@link DatabaseOutageIT}'s first one: a {@code CHECK (false)} constraint on the history.
 */
@Timeout(120)
class ReadinessIT {
    private static final String CONSECUTIVE = "quire_persister_consecutive_failures";

    /** One answer of /health/ready: the code and the fields of its JSON body (parsed by PostgreSQL). */
    record Ready(int code, String status, String reason) {
    }

    @Test
    void readyIs503AfterConsecutiveFailedBatchesAndSaysWhyThen200AfterACommittedBatch() throws Exception {
        try (TestServices s = new TestServices(1, 20)) {
            Topics.ensure(s.kafka());
            PoisonRecordIT.Editors editors = new PoisonRecordIT.Editors(s);
            try (Persister p = Persister.start(s.env())) {
                for (int i = 0; i < 10; i++) {
                    editors.edit("ready-doc");
                }
                PersisterIT.awaitCount(s, "SELECT count(*) FROM document_updates", 10, Duration.ofSeconds(30));
                assertThat(ready(s, p)).isEqualTo(new Ready(200, "up", null));

                PoisonRecordIT.sql(s, "ALTER TABLE document_updates ADD CONSTRAINT outage_check CHECK (false) NOT VALID");
                for (int i = 0; i < 5; i++) {
                    editors.edit("ready-doc");
                }
                Ready down = awaitReady(s, p, 503, Duration.ofSeconds(30));
                assertThat(down.status()).isEqualTo("down");
                assertThat(down.reason()).contains("consecutive batches failed").contains("23514").contains("outage_check")
                        .as("the failing row (the Detail of PostgreSQL's message) is not shown").doesNotContain("ready-doc");
                assertThat(QuarantineIT.metric(p.scrapeMetrics(), CONSECUTIVE)).isGreaterThanOrEqualTo(3);
                assertThat(s.count("SELECT count(*) FROM document_updates")).as("no row while inserts fail").isEqualTo(10);
                assertThat(s.count("SELECT count(*) FROM quarantined_records")).as("a failing constraint is not the records' fault")
                        .isZero();

                PoisonRecordIT.sql(s, "ALTER TABLE document_updates DROP CONSTRAINT outage_check");
                Ready up = awaitReady(s, p, 200, Duration.ofSeconds(30));
                assertThat(up).isEqualTo(new Ready(200, "up", null));
                assertThat(QuarantineIT.metric(p.scrapeMetrics(), CONSECUTIVE)).isZero();
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(30));
                assertThat(ProjectionCheck.assertProjectionEqualsLog(s, log).historyRows()).isEqualTo(15);
            }
        }
    }

    private static Ready awaitReady(TestServices s, Persister p, int code, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Ready last = null;
        while (System.nanoTime() < deadline) {
            last = ready(s, p);
            if (last.code() == code) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("/health/ready did not answer " + code + " within " + timeout + ", last " + last);
    }

    private static Ready ready(TestServices s, Persister p) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + p.httpPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        try (Connection c = s.connect();
             PreparedStatement ps = c.prepareStatement("SELECT j->>'status', j->>'reason' FROM (SELECT ?::jsonb j) b")) {
            ps.setString(1, r.body());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Ready(r.statusCode(), rs.getString(1), rs.getString(2));
            }
        }
    }
}
