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

/** A front's metrics in Prometheus format: sockets, close codes, documents, updates, Kafka writes, Redis. */
final class FrontMetrics {
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    FrontMetrics(HocuspocusEndpoint hocuspocus, DocumentHub hub, KafkaUpdateLog log, TailConsumer tail) {
        FunctionCounter.builder("quire.connections.opened", hocuspocus, HocuspocusEndpoint::opened)
                .description("Hocuspocus sockets opened").register(registry);
        Gauge.builder("quire.connections.open", hocuspocus, HocuspocusEndpoint::open).description("Hocuspocus sockets open").register(registry);
        Gauge.builder("quire.documents.open", hub, DocumentHub::openDocuments).description("Documents loaded on this front").register(registry);
        FunctionCounter.builder("quire.updates.in", hub, DocumentHub::updatesIn).description("Updates received from clients").register(registry);
        FunctionCounter.builder("quire.updates.log", hub, DocumentHub::updatesFromLog)
                .description("Updates of loaded documents received from the Kafka log").register(registry);
        Gauge.builder("quire.kafka.pending.writes", log, KafkaUpdateLog::pendingWrites)
                .description("Updates waiting for Kafka's acknowledgement").register(registry);
        FunctionCounter.builder("quire.kafka.refused.writes", log, KafkaUpdateLog::refusedWrites)
                .description("Client updates refused because the pending writes were at QUIRE_MAX_PENDING_WRITES").register(registry);
        FunctionCounter.builder("quire.updates.relayed", hub, DocumentHub::updatesRelayed)
                .description("Updates of loaded documents relayed from other fronts through Redis, ahead of Kafka").register(registry);
        FunctionCounter.builder("quire.load.log.records", tail, TailConsumer::loadRecordsRead)
                .description("Kafka records read to load documents (the partitions' tails the persister has not written)")
                .register(registry);
        FunctionCounter.builder("quire.updates.out", hub, DocumentHub::updatesOut).description("Update frames sent to clients")
                .register(registry);
        io.micrometer.core.instrument.Timer produce = io.micrometer.core.instrument.Timer.builder("quire.kafka.produce")
                .description("Time from a client's update to Kafka's acknowledgement of its write").publishPercentileHistogram()
                .register(registry);
        log.onAckLatency(n -> produce.record(n, java.util.concurrent.TimeUnit.NANOSECONDS));
    }

    /** Registers a counter of closes for {@code code} the first time it is seen. */
    void closes(int code, AtomicLong count) {
        FunctionCounter.builder("quire.connections.closed", count, AtomicLong::get).tag("code", Integer.toString(code))
                .description("Sockets closed, by close code").register(registry);
    }

    /** Awareness between fronts: whether Redis answers, and its traffic and failures. */
    void redis(RedisAwarenessBus bus) {
        Gauge.builder("quire.redis.up", bus, b -> b.state().equals("up") ? 1 : 0)
                .description("1 while Redis answers, 0 while awareness is degraded to this front's own clients").register(registry);
        FunctionCounter.builder("quire.redis.failures", bus, RedisAwarenessBus::failures).description("Failed Redis operations")
                .register(registry);
        FunctionCounter.builder("quire.redis.auth.failures", bus, RedisAwarenessBus::authFailures)
                .description("Reconnects to Redis refused because of the password (a rotated token?)").register(registry);
        FunctionCounter.builder("quire.redis.published", bus, RedisAwarenessBus::published)
                .description("Awareness batches published to other fronts").register(registry);
        FunctionCounter.builder("quire.redis.received", bus, RedisAwarenessBus::received)
                .description("Awareness updates received from other fronts").register(registry);
    }

    String scrape() {
        return registry.scrape();
    }
}
