package dev.quire.persister;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The persister's metrics, in Prometheus format: throughput, quarantines, snapshots, batch time, lag, errors. */
final class PersisterMetrics {
    private static final String ERRORS = "Errors of PostgreSQL: kind database, a batch rolled back and retried (PostgreSQL failed); "
            + "kind data, a batch or snapshot PostgreSQL refused (the records it refuses alone are quarantined, the rest stored)";
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final Counter persisted = Counter.builder("quire.persister.updates").description("Updates written to the history").register(registry);
    final Counter quarantined = Counter.builder("quire.persister.quarantined").description("Records quarantined").register(registry);
    final Counter duplicates = Counter.builder("quire.persister.duplicates")
            .description("Records skipped because PostgreSQL already had them (another consumer persisted them)").register(registry);
    final Counter snapshotsByCount = Counter.builder("quire.persister.snapshots").tag("trigger", "count").register(registry);
    final Counter snapshotsByTime = Counter.builder("quire.persister.snapshots").tag("trigger", "time").register(registry);
    final Counter databaseErrors = Counter.builder("quire.persister.errors").tag("kind", "database")
            .description(ERRORS).register(registry);
    final Counter dataErrors = Counter.builder("quire.persister.errors").tag("kind", "data").description(ERRORS).register(registry);
    final Timer batch = Timer.builder("quire.persister.batch").description("Time to write one batch to PostgreSQL").register(registry);
    /** Records not yet persisted; -1 until measured (exported as NaN, so that 0 always means caught up). */
    final AtomicLong lag = new AtomicLong(-1);
    final AtomicLong assignedPartitions = new AtomicLong();
    /** Attempts in a row to store a batch that failed; 0 after a stored batch. */
    final AtomicLong consecutiveFailures = new AtomicLong();

    PersisterMetrics() {
        Gauge.builder("quire.persister.lag", lag, l -> l.get() < 0 ? Double.NaN : l.get())
                .description("Records in Kafka not yet persisted (sum over partitions; NaN until measured)")
                .register(registry);
        Gauge.builder("quire.persister.consecutive.failures", consecutiveFailures, AtomicLong::get)
                .description("Attempts in a row to store a batch that failed (PostgreSQL unavailable); /health/ready is 503 from "
                        + PersisterSettings.UNREADY_AFTER_FAILURES.env() + " on").register(registry);
        Gauge.builder("quire.persister.partitions", assignedPartitions, AtomicLong::get).description("Partitions assigned to this persister")
                .register(registry);
    }

    String scrape() {
        return registry.scrape();
    }
}
