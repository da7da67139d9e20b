package dev.quire.server.kafka;

import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.UpdateRecords;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes client updates to the updates topic ({@code acks=all}, idempotent, key = document name). At most
 * {@code maxPending} writes may wait for Kafka's acknowledgement. A caller {@link #reserve reserves} its place
 * before it applies the update anywhere: when the buffer is full the update is refused untouched, so a Kafka
 * outage never grows memory without bound and never leaves a refused change in a front's memory only.
 */
public final class KafkaUpdateLog implements AutoCloseable {
    /** The buffer of unacknowledged writes is full (Kafka is slow or down). */
    public static final class BufferFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BufferFullException(int max) {
            super(max + " updates are already waiting for Kafka");
        }
    }

    /** An update larger than the log takes ({@code QUIRE_MAX_UPDATE_BYTES}, or less when the topic allows less). */
    public static final class UpdateTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UpdateTooLargeException(int size, int max) {
            super("the update is " + size + " bytes, more than the " + max + " bytes an update may have ("
                    + KafkaSettings.MAX_UPDATE_BYTES.env() + ")");
        }
    }

    /** Where Kafka stored a record. */
    public record Position(int partition, long offset) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String frontId;
    private final Semaphore pending;
    /**
     * Calls send() in order on one thread: send() may block (for the topic's metadata, or while the producer's
     * memory is full), and a document's executor, which hands writes over here, must keep relaying meanwhile.
     */
    private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quire-kafka-send");
        t.setDaemon(true);
        return t;
    });
    private final int maxPending;
    private final int maxUpdateBytes;
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
    private volatile java.util.function.LongConsumer ackLatencyNanos = n -> { };

    /** @param maxUpdateBytes the largest update the topic takes ({@link dev.quire.core.kafka.Topics#ensure}) */
    public KafkaUpdateLog(KafkaSettings kafka, String frontId, int maxPending, int maxUpdateBytes) {
        Properties p = kafka.clientProperties();
        // derived from the one maximum update size, so that whatever the front accepted the producer sends
        p.put("max.request.size", Integer.toString(KafkaSettings.recordLimitBytes(maxUpdateBytes)));
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        // 1 ms, not 0: with 0 a batch is ready at once, and while the in-flight requests are at their maximum the
        // sender thread polls without waiting, spinning on a CPU until an acknowledgement arrives (seen in a flight
        // recording: 71% of a front's samples on one CPU, which starved the broadcasts). The broadcast and the relay
        // do not wait for Kafka; only the SyncStatus acknowledgement does, by at most this.
        p.put("linger.ms", "1");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("delivery.timeout.ms", "120000");
        // Keep the brokers' metadata through an outage: with the default (rebootstrap) the client forgets the topic
        // once no broker answers, and every send() then blocks for metadata instead of joining the bounded buffer.
        p.put("metadata.recovery.strategy", "none");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = kafka.topic();
        this.frontId = frontId;
        this.maxPending = maxPending;
        this.maxUpdateBytes = maxUpdateBytes;
        this.pending = new Semaphore(maxPending);
    }

    /** A place among the pending writes: used by one {@link #append} or given back by {@link #release}. */
    public final class Slot {
        private boolean done;

        private Slot() {
        }

        /** Appends one update; completes once Kafka acknowledged it (all in-sync replicas), or exceptionally. */
        public CompletableFuture<Position> append(String document, byte[] update, String connectionId) {
            checkSize(update);
            take();
            return send(document, update, connectionId);
        }

        /** Gives the place back unused. */
        public void release() {
            take();
            pending.release();
        }

        private void take() {
            if (done) {
                throw new IllegalStateException("this slot was already used");
            }
            done = true;
        }
    }

    /** Takes a place among the pending writes, or throws {@link BufferFullException} when there is none. */
    public Slot reserve() {
        if (!pending.tryAcquire()) {
            refused.incrementAndGet();
            throw new BufferFullException(maxPending);
        }
        return new Slot();
    }

    /**
     * Throws {@link UpdateTooLargeException} when {@code update} is larger than a record may carry: callers check it
     * before they apply or broadcast the update, since the write would fail after everyone had it.
     */
    public void checkSize(byte[] update) {
        if (update.length > maxUpdateBytes) {
            throw new UpdateTooLargeException(update.length, maxUpdateBytes);
        }
    }

    public int maxUpdateBytes() {
        return maxUpdateBytes;
    }

    /** Reserves and appends in one step (for writes that touch no in-memory state first). */
    public CompletableFuture<Position> append(String document, byte[] update, String connectionId) {
        checkSize(update);
        try {
            return reserve().append(document, update, connectionId);
        } catch (BufferFullException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Position> send(String document, byte[] update, String connectionId) {
        CompletableFuture<Position> done = new CompletableFuture<>();
        long start = System.nanoTime();
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, UpdateRecords.keyOf(document), update);
        r.headers().add(UpdateRecords.ORIGIN_HEADER, frontId.getBytes(StandardCharsets.UTF_8));
        r.headers().add(UpdateRecords.CONNECTION_HEADER, connectionId.getBytes(StandardCharsets.UTF_8));
        try {
            sender.execute(() -> send(r, done, start));
        } catch (java.util.concurrent.RejectedExecutionException e) { // closing
            pending.release();
            done.completeExceptionally(e);
        }
        return done;
    }

    private void send(ProducerRecord<byte[], byte[]> r, CompletableFuture<Position> done, long start) {
        try {
            producer.send(r, (meta, e) -> {
                pending.release();
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    ackLatencyNanos.accept(System.nanoTime() - start);
                    done.complete(new Position(meta.partition(), meta.offset()));
                }
            });
        } catch (RuntimeException | Error e) { // an Error too: the place and the caller's future must not be lost
            pending.release();
            done.completeExceptionally(e);
        }
    }

    /** Receives the time from {@link #append} to Kafka's acknowledgement of each write (for a metric). */
    public void onAckLatency(java.util.function.LongConsumer listener) {
        this.ackLatencyNanos = listener;
    }

    /** Updates refused since start because the buffer was full. */
    public long refusedWrites() {
        return refused.get();
    }

    /** Writes waiting for Kafka now. */
    public int pendingWrites() {
        return maxPending - pending.availablePermits();
    }

    public String frontId() {
        return frontId;
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
