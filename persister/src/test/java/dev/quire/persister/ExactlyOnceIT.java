package dev.quire.persister;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.kafka.Topics;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.yjs.model.YDoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once, proven with real process kills: a persister JVM is SIGKILLed at random points at least
 * {@value #KILLS} times while updates are produced, restarted each time, and one last instance finishes.
 * After every kill the committed rows are exactly the prefix of each partition below its stored position;
 * at the end the history equals the log record for record and every snapshot equals the log's updates.
 *
 * <p>A quarter of the kills are timed from the launch of the JVM (they land in start-up: Flyway, topic check,
 * group join), the rest from the instance's first partition assignment (they land in consumption); for half
 * of all kills, once the random delay is over, the test also waits (up to 1 s) until it sees a batch
 * transaction of that instance open in {@code pg_stat_activity} and kills right then. The
 * instances use static group membership ({@code group.instance.id}), so a restarted process takes the
 * killed one's place at once instead of waiting for its session to expire. The seed is logged; rerun
 * with {@code -Dquire.it.seed=N}.
 */
@Timeout(300)
class ExactlyOnceIT {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceIT.class);
    private static final int DOCUMENTS = 30;
    private static final int UPDATES_PER_DOCUMENT = 200;
    private static final int KILLS = 22;
    private static final int[] MAX_BATCHES = {7, 50, 500};

    /** What was true at one kill. */
    record Kill(int instance, long delayMs, boolean fromLaunch, boolean waitedForTransaction, boolean assigned,
                boolean batchTransactionOpen,
                boolean otherTransactionOpen, boolean committedBefore, boolean behindLog) {
    }

    @Test
    void killingThePersisterAtRandomPointsNeitherLosesNorDuplicatesARow() throws Exception {
        long seed = Long.getLong("quire.it.seed", System.nanoTime());
        LOG.info("seed {}", seed);
        Random rnd = new Random(seed);
        try (TestServices s = new TestServices(4, 25)) {
            Topics.ensure(s.kafka());
            List<ProducerRecord<byte[], byte[]>> records = edits(s.topic, rnd);
            Path logs = Path.of("target", "exactly-once-logs", s.id);

            // records are sent in one chunk per instance, spread over 1.5 s from its assignment, so it has work when it may die
            int chunks = KILLS + 1;
            Semaphore chunkPermits = new Semaphore(0);
            AtomicInteger acked = new AtomicInteger();
            AtomicReference<Exception> sendError = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    int sent = 0;
                    for (int c = 0; c < chunks; c++) {
                        chunkPermits.acquire();
                        int end = (int) ((long) records.size() * (c + 1) / chunks);
                        int n = end - sent;
                        for (int i = 0; sent < end; i++, sent++) {
                            s.producer().send(records.get(sent), (m, e) -> {
                                if (e != null) {
                                    sendError.set(e);
                                } else {
                                    acked.incrementAndGet();
                                }
                            });
                            if (i % 10 == 9) {
                                Thread.sleep(1500L * 10 / n);
                            }
                        }
                    }
                    s.producer().flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-producer");
            producer.start();

            List<Kill> kills = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> ends = endOffsetReader(s)) {
                for (int n = 0; n < KILLS; n++) {
                    String app = "quire-eo-" + s.id + "-" + n;
                    long before = sum(ProjectionCheck.storedPositions(s));
                    PersisterProcess p = PersisterProcess.start(instanceEnv(s, app, MAX_BATCHES[rnd.nextInt(MAX_BATCHES.length)]),
                            logs.resolve("instance-" + n + ".log"));
                    boolean fromLaunch = n % 4 == 3;
                    if (!fromLaunch) {
                        p.awaitAssigned(Duration.ofSeconds(30));
                    }
                    chunkPermits.release(); // this instance's updates arrive while it may be killed
                    long delay = 100 + rnd.nextInt(1401);
                    Thread.sleep(delay);
                    boolean hunt = n % 4 == 1 || n % 4 == 2;
                    List<String> open = openTransactions(s, app); // sampled just before the kill
                    for (long until = System.nanoTime() + 1_000_000_000L;
                         hunt && System.nanoTime() < until && open.stream().noneMatch(ExactlyOnceIT::isWriteTransaction); ) {
                        open = openTransactions(s, app);
                    }
                    assertThat(p.isAlive()).as("instance " + n + " alive until killed (see " + logs + ")").isTrue();
                    p.kill();
                    boolean assigned = p.awaitAssigned(Duration.ZERO);
                    Map<Integer, Long> stored = ProjectionCheck.storedPositions(s);
                    boolean behind = !ProjectionCheck.caughtUp(stored, endOffsets(ends, s.topic));
                    boolean batch = open.stream().anyMatch(ExactlyOnceIT::isWriteTransaction);
                    kills.add(new Kill(n, delay, fromLaunch, hunt, assigned, batch, !batch && !open.isEmpty(), sum(stored) > before,
                            behind));
                    assertCommittedPrefix(s, stored, "after kill " + n);
                }
            }

            // one last instance finishes the job
            PersisterProcess last = PersisterProcess.start(instanceEnv(s, "quire-eo-" + s.id + "-last", 500),
                    logs.resolve("instance-last.log"));
            chunkPermits.release(chunks);
            producer.join(60_000);
            assertThat(sendError.get()).isNull();
            assertThat(acked.get()).isEqualTo(records.size());
            ProjectionCheck.Log log = ProjectionCheck.readLog(s);
            assertThat(log.size()).isEqualTo(records.size());
            ProjectionCheck.awaitCaughtUp(s, log.endOffsets(), Duration.ofSeconds(60));
            assertThat(last.stop(Duration.ofSeconds(20))).as("exit code after SIGTERM").isIn(0, 143);

            ProjectionCheck.Summary summary = ProjectionCheck.assertProjectionEqualsLog(s, log);
            assertThat(summary.historyRows()).isEqualTo(records.size());
            assertThat(summary.quarantined()).isZero();
            assertThat(summary.snapshots()).isGreaterThanOrEqualTo(DOCUMENTS);

            long committed = kills.stream().filter(Kill::committedBefore).count();
            long inBatch = kills.stream().filter(Kill::batchTransactionOpen).count();
            long inOther = kills.stream().filter(Kill::otherTransactionOpen).count();
            long behind = kills.stream().filter(Kill::behindLog).count();
            long fromLaunch = kills.stream().filter(Kill::fromLaunch).count();
            long hunted = kills.stream().filter(Kill::waitedForTransaction).count();
            LOG.info("kills: {} ({} timed from launch, {} from partition assignment, {} of them waiting for an open batch transaction); "
                    + "the killed instance had committed a batch: {}; "
                    + "a batch transaction was open at the kill: {}; another transaction (Flyway) was open: {}; stored positions "
                    + "behind the log end at the kill: {}", kills.size(), fromLaunch, kills.size() - fromLaunch, hunted, committed, inBatch,
                    inOther, behind);
            kills.forEach(k -> LOG.info("  {}", k));
            LOG.info("result: {} history rows over {} documents, {} snapshots, all equal to the log", summary.historyRows(),
                    summary.documents(), summary.snapshots());
            assertThat(kills).hasSizeGreaterThanOrEqualTo(20);
            assertThat(committed).as("kills of an instance that had committed work").isPositive();
        }
    }

    /** Real Yjs updates of {@value #DOCUMENTS} documents, each document's in order, the documents interleaved at random. */
    static List<ProducerRecord<byte[], byte[]>> edits(String topic, Random rnd) {
        List<List<ProducerRecord<byte[], byte[]>>> perDoc = new ArrayList<>();
        for (int d = 0; d < DOCUMENTS; d++) {
            String name = "eo-doc-" + d + (d % 4 == 0 ? "-ünïcødé-✓" : "");
            List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
            YDoc doc = new YDoc(100 + d, true);
            String origin = "front-" + (d % 3) + "/conn-" + d;
            doc.onUpdate((u, tr) -> {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, UpdateRecords.keyOf(name), u);
                r.headers().add(UpdateRecords.ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
                out.add(r);
            });
            while (out.size() < UPDATES_PER_DOCUMENT) {
                var text = doc.getText("content");
                int op = rnd.nextInt(10);
                if (op < 2 && text.length() > 0) {
                    int at = rnd.nextInt((int) text.length());
                    text.delete(at, Math.min(1 + rnd.nextInt(4), text.length() - at));
                } else if (op == 2) {
                    doc.getMap("meta").set("k" + rnd.nextInt(5), rnd.nextInt(3) == 0 ? "é" : rnd.nextInt(100));
                } else {
                    text.insert(rnd.nextInt((int) text.length() + 1), "lorem ipsum ".substring(rnd.nextInt(12)));
                }
            }
            perDoc.add(out);
        }
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < DOCUMENTS; d++) {
            order.addAll(Collections.nCopies(UPDATES_PER_DOCUMENT, d));
        }
        Collections.shuffle(order, rnd);
        int[] next = new int[DOCUMENTS];
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (int d : order) {
            out.add(perDoc.get(d).get(next[d]++));
        }
        return out;
    }

    private static Map<String, String> instanceEnv(TestServices s, String applicationName, int maxBatch) {
        Map<String, String> env = new HashMap<>(s.env);
        String url = env.get("QUIRE_DATABASE_URL");
        env.put("QUIRE_DATABASE_URL", url + (url.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName);
        env.put("QUIRE_KAFKA_PROPERTY_GROUP_INSTANCE_ID", "exactly-once-persister");
        env.put("QUIRE_PERSISTER_MAX_BATCH", Integer.toString(maxBatch));
        env.put("QUIRE_SNAPSHOT_INTERVAL", "3s");
        return env;
    }

    /** "state: query" of the sessions of {@code applicationName} that are inside a transaction. */
    private static List<String> openTransactions(TestServices s, String applicationName) throws SQLException {
        try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state, query FROM pg_stat_activity WHERE application_name = ? AND xact_start IS NOT NULL")) {
            ps.setString(1, applicationName);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ": " + rs.getString(2));
                }
            }
            return out;
        }
    }

    /**
     * A batch (or time-based snapshot) transaction: one that touches the projection's tables, other than the
     * single autocommit read of the positions made on assignment.
     */
    private static boolean isWriteTransaction(String stateAndQuery) {
        boolean projection = stateAndQuery.contains("document_updates") || stateAndQuery.contains("consumer_offsets")
                || stateAndQuery.contains("document_snapshots") || stateAndQuery.contains("quarantined_records");
        boolean positionRead = stateAndQuery.startsWith("active: SELECT next_offset") && !stateAndQuery.contains("FOR UPDATE");
        return projection && !positionRead;
    }

    /** Every partition's rows are exactly offsets 0 .. position-1 (all records here are valid): nothing lost, nothing beyond. */
    private static void assertCommittedPrefix(TestServices s, Map<Integer, Long> stored, String when) throws SQLException {
        Map<Integer, long[]> rows = new TreeMap<>();
        try (Connection c = s.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT topic_partition, count(*), count(DISTINCT kafka_offset), min(kafka_offset), max(kafka_offset) "
                + "FROM document_updates GROUP BY topic_partition")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                assertThat(stored).as(when + ": positions without a history table").isEmpty();
                return;
            }
            throw e;
        }
        for (Map.Entry<Integer, long[]> e : rows.entrySet()) {
            long[] r = e.getValue();
            Long next = stored.get(e.getKey());
            assertThat(next).as(when + ": partition " + e.getKey() + " has rows but no stored position").isNotNull();
            assertThat(r[0]).as(when + ": rows of partition " + e.getKey() + " vs its position").isEqualTo(next);
            assertThat(r[1]).as(when + ": distinct offsets of partition " + e.getKey()).isEqualTo(next);
            assertThat(r[2]).isZero();
            assertThat(r[3]).as(when + ": last offset of partition " + e.getKey()).isEqualTo(next - 1);
        }
        stored.forEach((p, next) -> assertThat(next == 0 || rows.containsKey(p)).as(when + ": position of " + p + " without rows")
                .isTrue());
    }

    private static KafkaConsumer<byte[], byte[]> endOffsetReader(TestServices s) {
        Properties p = s.kafka().clientProperties();
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(p);
    }

    private static Map<Integer, Long> endOffsets(KafkaConsumer<byte[], byte[]> c, String topic) {
        List<TopicPartition> tps = c.partitionsFor(topic).stream().map(pi -> new TopicPartition(topic, pi.partition())).toList();
        Map<Integer, Long> out = new TreeMap<>();
        c.endOffsets(tps).forEach((tp, o) -> out.put(tp.partition(), o));
        return out;
    }

    private static long sum(Map<Integer, Long> positions) {
        return positions.values().stream().mapToLong(Long::longValue).sum();
    }
}
