package dev.quire.server.kafka;

import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.UpdateRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the end of every partition of the updates topic (no consumer group: every front sees every new
 * record) and hands each record to the document hub, which keeps those of the documents it holds. Runs on
 * its own thread.
 */
public final class TailConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TailConsumer.class);

    /** A record of the log as the hub sees it. */
    public record LogRecord(String document, int partition, long offset, byte[] update, String origin) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final Consumer<LogRecord> sink;
    private final Thread thread;
    private volatile boolean closed;
    private volatile String failure;
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    static final int RELAYED_FETCH_MIN_BYTES = 64 * 1024;
    static final int RELAYED_FETCH_WAIT_MS = 25;
    /** Consumers that read documents for loading, kept between loads (see {@link #readDocument}). */
    static final int IDLE_READERS = 4;
    private final KafkaSettings kafka;
    private final java.util.concurrent.ArrayBlockingQueue<KafkaConsumer<byte[], byte[]>> idleReaders =
            new java.util.concurrent.ArrayBlockingQueue<>(IDLE_READERS);
    private final java.util.concurrent.atomic.AtomicLong loadRecordsRead = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param relayed whether the other fronts' updates also come through the Redis relay, ahead of Kafka: then the
     *     log is only the durable path, and the broker may gather records for up to {@link #RELAYED_FETCH_WAIT_MS}
     *     instead of answering a fetch per record (at 1,000 edits/s on one document, a round trip per edit on the
     *     front's and the broker's CPU, for records that change nothing); without the relay it answers at once
     */
    public TailConsumer(KafkaSettings kafka, Consumer<LogRecord> sink, boolean relayed) {
        this.kafka = kafka;
        Properties props = properties(kafka);
        if (relayed) {
            props.put("fetch.min.bytes", Integer.toString(RELAYED_FETCH_MIN_BYTES));
            props.put("fetch.max.wait.ms", Integer.toString(RELAYED_FETCH_WAIT_MS));
        }
        this.consumer = new KafkaConsumer<>(props);
        this.topic = kafka.topic();
        this.sink = sink;
        List<TopicPartition> all = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(15))) {
            all.add(new TopicPartition(topic, p.partition()));
        }
        consumer.assign(all);
        consumer.seekToEnd(all);
        all.forEach(consumer::position); // resolve the end now: records after this moment are delivered
        this.thread = new Thread(this, "quire-tail-consumer");
    }

    static Properties properties(KafkaSettings kafka) {
        Properties p = kafka.clientProperties();
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    public void start() {
        thread.start();
    }

    /**
     * Polls until closed. Nothing but {@link #close} ends the loop: a failed poll (or an Error, say a stack overflow in
     * the hub) is logged, reported by {@link #state} and retried with back-off, since a dead tail would leave every
     * document of this front silently behind the log while health said up.
     */
    @Override
    public void run() {
        long backoffMs = 0;
        try {
            while (!closed) {
                try {
                    pollOnce();
                    failure = null;
                    backoffMs = 0;
                } catch (WakeupException e) {
                    if (!closed) {
                        throw e;
                    }
                } catch (RuntimeException | Error e) {
                    failures.incrementAndGet();
                    failure = e.toString();
                    backoffMs = Math.min(5_000, Math.max(100, backoffMs * 2));
                    LOG.error("the tail consumer failed ({}); retrying in {} ms", e.toString(), backoffMs);
                    try {
                        Thread.sleep(backoffMs);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void pollOnce() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            String doc = UpdateRecords.documentOf(r.key());
            if (doc == null || r.value() == null) {
                continue;
            }
            try {
                sink.accept(new LogRecord(doc, r.partition(), r.offset(), r.value(),
                        UpdateRecords.header(r.headers(), UpdateRecords.ORIGIN_HEADER)));
            } catch (RuntimeException | StackOverflowError e) {
                LOG.error("could not hand record {}-{}@{} to the hub: {}", topic, r.partition(), r.offset(), e.toString());
            }
        }
    }

    /** {@code up}, or {@code down} while the thread has died or its last poll failed (for /health/ready). */
    public String state() {
        return thread.isAlive() && failure == null ? "up" : "down";
    }

    /** Failed polls since start. */
    public long failures() {
        return failures.get();
    }

    /** Records read by {@link #readDocument} since start, every document's records counted (the cost of loading). */
    public long loadRecordsRead() {
        return loadRecordsRead.get();
    }

    /**
     * Reads the records of {@code document} in its partition from {@code fromOffset} to the partition's current
     * end. Consumers are reused (creating one, and fetching metadata, cost more than a small document's read): an
     * idle one is borrowed, used by this thread only, and given back; at most {@link #IDLE_READERS} are kept.
     */
    public List<byte[]> readDocument(String document, int partition, long fromOffset) {
        KafkaConsumer<byte[], byte[]> c = idleReaders.poll();
        if (c == null) {
            c = new KafkaConsumer<>(properties(kafka));
        }
        boolean reusable = false;
        try {
            List<byte[]> out = new ArrayList<>();
            TopicPartition tp = new TopicPartition(kafka.topic(), partition);
            c.assign(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            c.seek(tp, fromOffset);
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    loadRecordsRead.incrementAndGet();
                    if (r.offset() >= end) {
                        break;
                    }
                    if (document.equals(UpdateRecords.documentOf(r.key())) && r.value() != null) {
                        out.add(r.value());
                    }
                }
            }
            reusable = true;
            return out;
        } finally {
            if (!reusable || closed || !idleReaders.offer(c)) {
                c.close(Duration.ofSeconds(2));
            }
        }
    }

    /** The partition of {@code document} (Kafka's default partitioner: murmur2 of the key). */
    public static int partitionOf(String document, int partitions) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(UpdateRecords.keyOf(document))) % partitions;
    }

    public int partitions() {
        return consumer.assignment().size();
    }

    @Override
    public void close() {
        closed = true;
        for (KafkaConsumer<byte[], byte[]> c; (c = idleReaders.poll()) != null; ) {
            c.close(Duration.ofSeconds(2));
        }
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
