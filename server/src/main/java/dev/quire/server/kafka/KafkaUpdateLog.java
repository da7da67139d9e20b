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
 * {@code maxPending} writes may wait for Kafka's acknowledgement; beyond that {@link #append} fails at
 * once with {@link BufferFullException}, so a Kafka outage never grows memory without bound.
 */
public final class KafkaUpdateLog implements AutoCloseable {
    /** The buffer of unacknowledged writes is full (Kafka is slow or down). */
    public static final class BufferFullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BufferFullException(int max) {
            super(max + " updates are already waiting for Kafka");
        }
    }

    /** Where Kafka stored a record. */
    public record Position(int partition, long offset) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final String frontId;
    private final Semaphore pending;
    private final int maxPending;
    private volatile java.util.function.LongConsumer ackLatencyNanos = n -> { };

    public KafkaUpdateLog(KafkaSettings kafka, String frontId, int maxPending) {
        Properties p = kafka.clientProperties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "1");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("delivery.timeout.ms", "120000");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.topic = kafka.topic();
        this.frontId = frontId;
        this.maxPending = maxPending;
        this.pending = new Semaphore(maxPending);
    }

    /** Appends one update; completes once Kafka acknowledged it (all in-sync replicas), or exceptionally. */
    public CompletableFuture<Position> append(String document, byte[] update, String connectionId) {
        CompletableFuture<Position> done = new CompletableFuture<>();
        if (!pending.tryAcquire()) {
            done.completeExceptionally(new BufferFullException(maxPending));
            return done;
        }
        long start = System.nanoTime();
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, UpdateRecords.keyOf(document), update);
        r.headers().add(UpdateRecords.ORIGIN_HEADER, frontId.getBytes(StandardCharsets.UTF_8));
        r.headers().add(UpdateRecords.CONNECTION_HEADER, connectionId.getBytes(StandardCharsets.UTF_8));
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
        } catch (RuntimeException e) {
            pending.release();
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Receives the time from {@link #append} to Kafka's acknowledgement of each write (for a metric). */
    public void onAckLatency(java.util.function.LongConsumer listener) {
        this.ackLatencyNanos = listener;
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
        producer.close(java.time.Duration.ofSeconds(10));
    }
}
