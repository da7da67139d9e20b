package dev.quire.persister;

import dev.quire.core.kafka.Topics;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.core.postgres.DocumentReplay;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Benchmark of the persister (not a test: no build runs it; the command is in BENCHMARKS.md, section
 * "Persister (issue 4)"). Uses the real Kafka and PostgreSQL of {@code services/services.sh}, in a topic and
 * schema of its own that it drops at the end.
 *
 * <ol>
 *   <li>Turns the automerge-paper editing trace into Yjs updates: one {@link YDoc} (client 1), one update per
 *       trace transaction; checks the result equals the trace's {@code endContent}.</li>
 *   <li>Throughput: {@code bench.documents} (100) documents, each getting the first N/100 updates of the trace
 *       (the same causal prefix, so every document is valid), interleaved, all produced to a fresh 8-partition
 *       topic first; then ONE persister (defaults: snapshot every 500 updates, batches of 2000) runs until its
 *       stored positions reach the end offsets. Reports updates/s (wall clock from start, and sustained between
 *       10% and 90% of the rows), snapshots written and batch times.</li>
 *   <li>Replay: the whole trace as one document (259,778 updates) persisted with snapshots (default) and again,
 *       from the same topic, into a schema without snapshots; times {@code DocumentReplay.atOffset(doc, MAX)}
 *       in both (first call, then the median of 5).</li>
 * </ol>
 */
public final class PersisterThroughputBench {
    private static final String TRACE = "/work/shared/data/editing-traces/automerge-paper.json.gz";

    private PersisterThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        Path trace = Path.of(args.length > 0 ? args[0] : TRACE);
        int documents = Integer.getInteger("bench.documents", 100);
        String only = System.getProperty("bench.only", "all"); // all | throughput | replay

        long t0 = System.nanoTime();
        Trace tr = Trace.load(trace);
        List<byte[]> updates = tr.toUpdates();
        long bytes = updates.stream().mapToLong(u -> u.length).sum();
        say("trace %s: %,d transactions -> %,d updates (%,d bytes, %.1f bytes/update) in %.1f s", trace.getFileName(), tr.txns.size(),
                updates.size(), bytes, (double) bytes / updates.size(), seconds(System.nanoTime() - t0));

        if (!only.equals("replay")) {
            throughput(updates, documents);
        }
        if (!only.equals("throughput")) {
            replay(updates, tr.endContent);
        }
    }

    // ---- throughput ----------------------------------------------------------------------------

    private static void throughput(List<byte[]> trace, int documents) throws Exception {
        int perDocument = trace.size() / documents;
        try (TestServices s = new TestServices(8, Integer.getInteger("bench.snapshotEvery", 500))) {
            Topics.ensure(s.kafka());
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = producer(s)) {
                for (int i = 0; i < perDocument; i++) {
                    for (int d = 0; d < documents; d++) {
                        producer.send(record(s.topic, String.format("paper-%03d", d), trace.get(i)));
                    }
                }
                producer.flush();
            }
            long total = (long) perDocument * documents;
            say("throughput: produced %,d updates (%d documents x the first %,d edits) to %s (8 partitions) in %.1f s", total, documents,
                    perDocument, s.topic, seconds(System.nanoTime() - t0));
            Run run = persist(s, total);
            say("throughput: ONE persister, %,d updates into PostgreSQL in %.2f s from start (%,.0f updates/s); first row after %.2f s; "
                    + "sustained (10%%..90%% of the rows) %,.0f updates/s; %,d snapshots; %s", total, run.seconds(), total / run.seconds(),
                    run.firstRowSeconds(), run.sustained(), s.count("SELECT count(*) FROM document_snapshots"), run.batches());
            run.curve().forEach((sec, rows) -> say("  t=%5.1f s  %,9d rows", sec, rows));
        }
    }

    // ---- replay -------------------------------------------------------------------------------

    private static void replay(List<byte[]> trace, String endContent) throws Exception {
        String doc = "automerge-paper";
        try (TestServices s = new TestServices(1, 500); TestServices bare = new TestServices(1, 10_000_000)) {
            Topics.ensure(s.kafka());
            long t0 = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = producer(s)) {
                for (byte[] u : trace) {
                    producer.send(record(s.topic, doc, u));
                }
                producer.flush();
            }
            say("replay: produced the whole trace as one document (%,d updates) in %.1f s", trace.size(), seconds(System.nanoTime() - t0));

            Run withSnapshots = persist(s, trace.size());
            say("replay: one document, snapshots every 500 updates: persisted in %.2f s (%,.0f updates/s), %,d snapshots, "
                    + "newest state %,d bytes; %s",
                    withSnapshots.seconds(), trace.size() / withSnapshots.seconds(), s.count("SELECT count(*) FROM document_snapshots"),
                    s.count("SELECT octet_length(state_v1) FROM document_snapshots ORDER BY up_to_offset DESC LIMIT 1"),
                    withSnapshots.batches());
            timeReplay(s, doc, endContent, "with snapshots");

            // the same topic into a schema of its own, snapshots disabled (a count and an interval never reached)
            bare.env.put("QUIRE_KAFKA_TOPIC", s.topic);
            bare.env.put("QUIRE_SNAPSHOT_INTERVAL", "100000h");
            Run without = persist(bare, trace.size());
            say("replay: one document, no snapshots: persisted in %.2f s (%,.0f updates/s), %d snapshots", without.seconds(),
                    trace.size() / without.seconds(), bare.count("SELECT count(*) FROM document_snapshots"));
            timeReplay(bare, doc, endContent, "without snapshots");
        }
    }

    private static void timeReplay(TestServices s, String doc, String endContent, String what) throws Exception {
        try (Database db = Database.open(new DatabaseSettings(s.env()))) {
            DocumentReplay replay = new DocumentReplay(new DocumentHistory(db.dataSource()));
            double[] runs = new double[6];
            DocumentReplay.Version v = null;
            for (int i = 0; i < runs.length; i++) {
                long t0 = System.nanoTime();
                v = replay.atOffset(doc, Long.MAX_VALUE);
                runs[i] = seconds(System.nanoTime() - t0) * 1000;
            }
            String text = v.doc().getText("content").toString();
            if (!text.equals(endContent)) {
                throw new AssertionError("replay " + what + " differs from the trace's endContent");
            }
            double[] warm = Arrays.copyOfRange(runs, 1, runs.length);
            Arrays.sort(warm);
            say("replay %s: DocumentReplay.atOffset(doc, MAX) first call %.0f ms, median of next 5 %.0f ms (min %.0f, max %.0f); "
                    + "from snapshot at %s + %,d updates; text = endContent (%,d chars)", what, runs[0], warm[warm.length / 2], warm[0],
                    warm[warm.length - 1], v.fromSnapshotOffset(), v.updatesApplied(), text.length());
            // where the time goes: reading the rows after the snapshot vs applying them
            DocumentHistory history = new DocumentHistory(db.dataSource());
            long after = v.fromSnapshotOffset() == null ? -1 : v.fromSnapshotOffset();
            double[] fetch = new double[5];
            double[] apply = new double[5];
            for (int i = 0; i < fetch.length; i++) {
                long t0 = System.nanoTime();
                var rows = history.updates(doc, after, Long.MAX_VALUE);
                long t1 = System.nanoTime();
                YDoc d = new YDoc(0, true);
                rows.forEach(r -> d.applyUpdate(r.update()));
                fetch[i] = seconds(t1 - t0) * 1000;
                apply[i] = seconds(System.nanoTime() - t1) * 1000;
            }
            Arrays.sort(fetch);
            Arrays.sort(apply);
            say("replay %s, split (median of 5): reading the %,d history rows %.0f ms, applying them one by one %.0f ms", what,
                    v.updatesApplied(), fetch[2], apply[2]);
        }
    }

    // ---- one persister run --------------------------------------------------------------------

    /** A persister run: seconds from start to caught up, the rows-over-time curve, and batch statistics. */
    record Run(double seconds, double firstRowSeconds, double sustained, Map<Double, Long> curve, String batches) {
    }

    private static Run persist(TestServices s, long total) throws Exception {
        Map<Integer, Long> end;
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(consumerProps(s))) {
            var tps = c.partitionsFor(s.env.get("QUIRE_KAFKA_TOPIC")).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            end = new java.util.TreeMap<>();
            for (var e : c.endOffsets(tps).entrySet()) {
                end.put(e.getKey().partition(), e.getValue());
            }
        }
        Map<Double, Long> curve = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (Persister p = Persister.start(s.env())) {
            long first = -1;
            long at10 = -1;
            long at90 = -1;
            double nextSample = 0;
            while (true) {
                Map<Integer, Long> stored = ProjectionCheck.storedPositions(s);
                long rows = stored.values().stream().mapToLong(Long::longValue).sum();
                long now = System.nanoTime();
                if (rows > 0 && first < 0) {
                    first = now;
                }
                if (rows >= total / 10 && at10 < 0) {
                    at10 = now;
                }
                if (rows >= total * 9 / 10 && at90 < 0) {
                    at90 = now;
                }
                double sec = seconds(now - t0);
                if (sec >= nextSample) {
                    curve.put(Math.round(sec * 10) / 10.0, rows);
                    nextSample += 1;
                }
                if (ProjectionCheck.caughtUp(stored, end)) {
                    curve.put(Math.round(sec * 10) / 10.0, rows);
                    return new Run(sec, seconds(first - t0), (total * 0.8) / seconds(at90 - at10), curve, batches(p.scrapeMetrics()));
                }
                if (sec > 1800) {
                    throw new IllegalStateException("not caught up after 30 min: " + stored + " of " + end);
                }
                Thread.sleep(100); // one small query per 100 ms: the measuring must not load PostgreSQL
            }
        }
    }

    private static String batches(String scrape) {
        double n = QuarantineIT.metric(scrape, "quire_persister_batch_seconds_count");
        double sum = QuarantineIT.metric(scrape, "quire_persister_batch_seconds_sum");
        double max = QuarantineIT.metric(scrape, "quire_persister_batch_seconds_max");
        return String.format("%.0f batches, mean %.1f ms, max %.0f ms", n, n == 0 ? 0 : sum / n * 1000, max * 1000);
    }

    private static Properties consumerProps(TestServices s) {
        Properties p = s.kafka().clientProperties();
        p.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        return p;
    }

    private static KafkaProducer<byte[], byte[]> producer(TestServices s) {
        Properties p = s.kafka().clientProperties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "20");
        p.put("batch.size", Integer.toString(256 * 1024));
        p.put("compression.type", "lz4");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String document, byte[] update) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, UpdateRecords.keyOf(document), update);
        r.headers().add(UpdateRecords.ORIGIN_HEADER, "bench".getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
        System.out.flush();
    }

    // ---- the trace ------------------------------------------------------------------------------

    /** A sequential editing trace: transactions of patches [position, deleted, inserted text]. */
    record Trace(List<List<Object[]>> txns, String endContent) {
        static Trace load(Path file) throws IOException {
            String json;
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) new MiniJson(json).value();
            List<List<Object[]>> txns = new ArrayList<>();
            for (Object t : (List<?>) root.get("txns")) {
                List<Object[]> patches = new ArrayList<>();
                for (Object p : (List<?>) ((Map<?, ?>) t).get("patches")) {
                    patches.add(((List<?>) p).toArray());
                }
                txns.add(patches);
            }
            return new Trace(txns, (String) root.get("endContent"));
        }

        /** One Yjs update per transaction, from a document of client 1 (text root "content"). */
        List<byte[]> toUpdates() {
            YDoc doc = new YDoc(1, true);
            YText text = doc.getText("content");
            List<byte[]> out = new ArrayList<>(txns.size());
            doc.onUpdate((u, t) -> out.add(u));
            for (List<Object[]> patches : txns) {
                doc.transact(t -> {
                    for (Object[] p : patches) {
                        long pos = ((Number) p[0]).longValue();
                        long del = ((Number) p[1]).longValue();
                        String ins = (String) p[2];
                        if (del > 0) {
                            text.delete(pos, del);
                        }
                        if (!ins.isEmpty()) {
                            text.insert(pos, ins);
                        }
                    }
                });
            }
            if (!text.toString().equals(endContent)) {
                throw new IllegalStateException("replaying the trace does not give its endContent");
            }
            return out;
        }
    }

    /** Just enough JSON for the trace files: objects, arrays, strings, numbers, true/false/null. */
    static final class MiniJson {
        private final String s;
        private int i;

        MiniJson(String s) {
            this.s = s;
        }

        Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i++) == '}') {
                            return m;
                        }
                    }
                }
                case '[': {
                    List<Object> l = new ArrayList<>();
                    i++;
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i++) == ']') {
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    i += 4;
                    return Boolean.TRUE;
                case 'f':
                    i += 5;
                    return Boolean.FALSE;
                case 'n':
                    i += 4;
                    return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String n = s.substring(start, i);
                    boolean integer = n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0;
                    return integer ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e); // \" \\ \/
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i++) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (i - 1));
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
