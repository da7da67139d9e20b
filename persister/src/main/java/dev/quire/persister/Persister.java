package dev.quire.persister;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quire.core.config.Env;
import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.Topics;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running persister: PostgreSQL pool (schema migrated), the updates topic ensured, the consume loop on
 * its own thread, and HTTP {@code /metrics}, {@code /health/live}, {@code /health/ready}. Ready means the loop
 * runs and stores batches: 503, with the reason in the JSON body, once
 * {@link PersisterSettings#UNREADY_AFTER_FAILURES} batches in a row failed, so that a persister stuck on PostgreSQL
 * is seen without reading its log.
 *
 * <pre>{@code
 * try (Persister p = Persister.start(Env.system())) {
 *     p.awaitTermination();
 * }
 * }</pre>
 */
public final class Persister implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Persister.class);

    private final Database database;
    private final PersisterLoop loop;
    private final Thread thread;
    private final HttpServer http;
    private final PersisterMetrics metrics;

    private Persister(Database database, PersisterLoop loop, HttpServer http, PersisterMetrics metrics) {
        this.database = database;
        this.loop = loop;
        this.http = http;
        this.metrics = metrics;
        this.thread = new Thread(loop, "quire-persister-loop");
    }

    /**
     * Validates the settings, connects and starts consuming.
     *
     * @throws dev.quire.core.config.ConfigException for a setting that is wrong or a service that cannot be reached
     */
    public static Persister start(Env env) {
        KafkaSettings kafka = new KafkaSettings(env);
        DatabaseSettings db = new DatabaseSettings(env);
        PersisterSettings settings = new PersisterSettings(env);
        Database database = Database.open(db);
        try {
            Topics.ensure(kafka);
            Properties p = kafka.clientProperties();
            p.put("group.id", settings.group());
            p.put("enable.auto.commit", "false");
            p.put("isolation.level", "read_committed");
            p.put("auto.offset.reset", "earliest");
            p.put("max.poll.records", Integer.toString(settings.maxBatch()));
            p.put("key.deserializer", ByteArrayDeserializer.class.getName());
            p.put("value.deserializer", ByteArrayDeserializer.class.getName());
            PersisterMetrics metrics = new PersisterMetrics();
            KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
            PersisterLoop loop = new PersisterLoop(consumer, kafka.topic(), database.dataSource(), settings, metrics, Clock.systemUTC());
            HttpServer http = HttpServer.create(new InetSocketAddress(settings.httpPort()), 0);
            Persister persister = new Persister(database, loop, http, metrics);
            http.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", metrics.scrape()));
            http.createContext("/health/live", ex -> respond(ex, 200, "application/json", "{\"status\":\"up\"}"));
            http.createContext("/health/ready", ex -> {
                String reason = persister.thread.isAlive() ? loop.notReadyReason() : "the consume loop stopped";
                respond(ex, reason == null ? 200 : 503, "application/json",
                        reason == null ? "{\"status\":\"up\"}" : "{\"status\":\"down\",\"reason\":" + Json.string(reason) + "}");
            });
            http.start();
            persister.thread.start();
            LOG.info("persister started: group {}, topic {} at {}, PostgreSQL {}, HTTP on port {}", settings.group(), kafka.topic(),
                    kafka.bootstrap(), db.url(), http.getAddress().getPort());
            return persister;
        } catch (IOException e) {
            database.close();
            throw new dev.quire.core.config.ConfigException("cannot listen on " + PersisterSettings.HTTP_PORT.env() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    /** The port of the HTTP endpoints. */
    public int httpPort() {
        return http.getAddress().getPort();
    }

    /** Blocks until the loop stops. */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /** The Prometheus text of the metrics (for tests and the CLI). */
    public String scrapeMetrics() {
        return metrics.scrape();
    }

    @Override
    public void close() {
        loop.close();
        http.stop(0);
        database.close();
    }
}
