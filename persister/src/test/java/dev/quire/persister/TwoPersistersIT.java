package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two persisters in one consumer group share a 6-partition topic while updates are produced; one stops
 * half-way (the other takes its partitions over in the rebalance); the projection still equals the log.
 */
@Timeout(180)
class TwoPersistersIT {
    private static final Logger LOG = LoggerFactory.getLogger(TwoPersistersIT.class);

    @Test
    void twoPersistersSharePartitionsAndTheSurvivorFinishesExactlyOnce() throws Exception {
        try (TestServices s = new TestServices(6, 20)) {
            Topics.ensure(s.kafka());
            List<ProducerRecord<byte[], byte[]>> records = ExactlyOnceIT.edits(s.topic, new Random(42));
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<Exception> sendError = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    for (ProducerRecord<byte[], byte[]> r : records) { // about 10 s of updates
                        s.producer().send(r, (m, e) -> {
                            if (e != null) {
                                sendError.set(e);
                            }
                        });
                        if (sent.incrementAndGet() % 30 == 0) {
                            Thread.sleep(50);
                        }
                    }
                    s.producer().flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-producer");

            Persister a = Persister.start(s.env());
            boolean aClosed = false;
            Persister b = null;
            try {
                await("the first persister owns all 6 partitions", () -> partitions(a) == 6);
                producer.start();
                b = Persister.start(s.env());
                Persister second = b;
                await("both persisters own partitions", () -> partitions(a) > 0 && partitions(second) > 0
                        && partitions(a) + partitions(second) == 6);
                LOG.info("shared: first persister {} partitions, second {}", partitions(a), partitions(b));
                double aBefore = persisted(a);
                double bBefore = persisted(b);
                await("both persisters write 300 rows while sharing",
                        () -> persisted(a) >= aBefore + 300 && persisted(second) >= bBefore + 300);
                double aShared = persisted(a);
                double bShared = persisted(b);
                assertThat(sent.get()).as("the first persister stops half-way").isLessThan(records.size());
                a.close();
                aClosed = true;
                LOG.info("stopped the first persister: it had written {} rows ({} while sharing), the second {}; {} of {} produced",
                        aShared, aShared - aBefore, bShared, sent.get(), records.size());
                await("the second persister owns all 6 partitions", () -> partitions(second) == 6);

                producer.join(60_000);
                assertThat(sendError.get()).isNull();
                ProjectionCheck.Log log = ProjectionCheck.readLog(s);
                assertThat(log.size()).isEqualTo(records.size());
                ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(60));
                ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
                assertThat(summary.historyRows()).isEqualTo(records.size());
                // every row was written by exactly one of the two
                assertThat(persisted(a) + persisted(b)).isEqualTo(records.size());
                assertThat(persisted(b)).isGreaterThan(bShared);
                assertThat(QuarantineIT.metric(b.scrapeMetrics(), "quire_persister_errors_total{kind=\"database\"}")).isZero();
                LOG.info("done: first persister wrote {} rows, second {}; {} snapshots, all equal to the log", persisted(a),
                        persisted(b), summary.snapshots());
            } finally {
                if (!aClosed) {
                    a.close();
                }
                if (b != null) {
                    b.close();
                }
                producer.interrupt();
            }
        }
    }

    private static double partitions(Persister p) {
        return QuarantineIT.metric(p.scrapeMetrics(), "quire_persister_partitions");
    }

    private static double persisted(Persister p) {
        return QuarantineIT.metric(p.scrapeMetrics(), "quire_persister_updates_total");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
