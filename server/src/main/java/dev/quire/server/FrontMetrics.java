package dev.quire.server;

import dev.quire.server.hub.DocumentHub;
import dev.quire.server.kafka.KafkaUpdateLog;
import dev.quire.server.kafka.TailConsumer;
import dev.quire.server.redis.RedisAwarenessBus;
import dev.quire.server.ws.HocuspocusEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/** A front's metrics in Prometheus format: sockets, close codes, documents, updates, Kafka writes, Redis. */
final class FrontMetrics {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    FrontMetrics(HocuspocusEndpoint hocuspocus, DocumentHub hub, KafkaUpdateLog log, TailConsumer tail) {
        counter("quire.connections.opened", "Hocuspocus sockets opened", hocuspocus, HocuspocusEndpoint::opened);
        gauge("quire.connections.open", "Hocuspocus sockets open", hocuspocus, HocuspocusEndpoint::open);
        gauge("quire.documents.open", "Documents loaded on this front", hub, DocumentHub::openDocuments);
        counter("quire.updates.in", "Updates received from clients", hub, DocumentHub::updatesIn);
        counter("quire.updates.log", "Updates of loaded documents received from the Kafka log", hub, DocumentHub::updatesFromLog);
        gauge("quire.kafka.pending.writes", "Updates waiting for Kafka's acknowledgement", log, KafkaUpdateLog::pendingWrites);
        counter("quire.kafka.refused.writes", "Client updates refused because the pending writes were at QUIRE_MAX_PENDING_WRITES",
                log, KafkaUpdateLog::refusedWrites);
        counter("quire.updates.relayed", "Updates of loaded documents relayed from other fronts through Redis, ahead of Kafka",
                hub, DocumentHub::updatesRelayed);
        counter("quire.updates.log.first", "Other fronts' updates that reached this front through Kafka before the Redis relay "
                + "brought them (all of them without Redis): the relay's misses", hub, DocumentHub::updatesLogFirst);
        counter("quire.load.log.records", "Kafka records read to load documents (the partitions' tails the persister has not written)",
                tail, TailConsumer::loadRecordsRead);
        counter("quire.updates.out", "Update frames sent to clients", hub, DocumentHub::updatesOut);
        counter("quire.awareness.remote.dropped", "Awareness states from other fronts (through Redis) dropped because they "
                + "are not JSON", hub, DocumentHub::remoteAwarenessDropped);
        io.micrometer.core.instrument.Timer produce = io.micrometer.core.instrument.Timer.builder("quire.kafka.produce")
                .description("Time from a client's update to Kafka's acknowledgement of its write").publishPercentileHistogram()
                .register(registry);
        log.onAckLatency(n -> produce.record(n, java.util.concurrent.TimeUnit.NANOSECONDS));
        counter("quire.tail.failures", "Failed polls of the tail consumer (retried; /health/ready is down meanwhile)", tail,
                TailConsumer::failures);
        gauge("quire.preauth.bytes", "Bytes of frames queued before their document's Auth, all sockets together "
                + "(at most QUIRE_MAX_PREAUTH_BYTES)", hocuspocus, HocuspocusEndpoint::preAuthBytes);
        // the JVM's own memory and threads: what a hostile client would exhaust, and what must return after it left
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    private <T> void gauge(String name, String description, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    /** Registers a counter of closes for {@code code} the first time it is seen. */
    void closes(int code, AtomicLong count) {
        FunctionCounter.builder("quire.connections.closed", count, AtomicLong::get).tag("code", Integer.toString(code))
                .description("Sockets closed, by close code").register(registry);
    }

    /** Awareness between fronts: whether Redis answers, and its traffic and failures. */
    void redis(RedisAwarenessBus bus) {
        gauge("quire.redis.up", "1 while Redis answers, 0 while awareness is degraded to this front's own clients", bus,
                b -> b.state().equals("up") ? 1 : 0);
        counter("quire.redis.failures", "Failed Redis operations", bus, RedisAwarenessBus::failures);
        counter("quire.redis.auth.failures", "Reconnects to Redis refused because of the password (a rotated token?)", bus,
                RedisAwarenessBus::authFailures);
        counter("quire.redis.published", "Awareness batches published to other fronts", bus, RedisAwarenessBus::published);
        counter("quire.redis.received", "Awareness updates received from other fronts", bus, RedisAwarenessBus::received);
    }

    String scrape() {
        return registry.scrape();
    }
}
