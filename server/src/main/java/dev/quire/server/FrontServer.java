package dev.quire.server;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;
import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.Topics;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.server.auth.Authenticator;
import dev.quire.server.auth.JwtAuthenticator;
import dev.quire.server.hub.DocumentHub;
import dev.quire.server.kafka.KafkaUpdateLog;
import dev.quire.server.kafka.SnapshotAndLogLoader;
import dev.quire.server.kafka.TailConsumer;
import dev.quire.server.ws.HocuspocusEndpoint;
import dev.quire.server.ws.PlainEndpoint;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running front: PostgreSQL (migrated), the updates topic, the Kafka producer and tail consumer, the
 * document hub, and Javalin serving the Hocuspocus WebSocket endpoint ({@code /} and {@code /hocuspocus})
 * plus {@code /health/live} and {@code /health/ready}.
 */
public final class FrontServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrontServer.class);

    private final Javalin app;
    private final Database database;
    private final KafkaUpdateLog log;
    private final TailConsumer tail;
    private final ExecutorService pool;
    private final ExecutorService loaders;
    private final ScheduledExecutorService timers;
    private final DocumentHub hub;

    private FrontServer(Javalin app, Database database, KafkaUpdateLog log, TailConsumer tail, ExecutorService pool,
                        ExecutorService loaders, ScheduledExecutorService timers, DocumentHub hub) {
        this.app = app;
        this.database = database;
        this.log = log;
        this.tail = tail;
        this.pool = pool;
        this.loaders = loaders;
        this.timers = timers;
        this.hub = hub;
    }

    /**
     * Validates settings, connects and starts serving.
     *
     * @throws ConfigException for a wrong setting or an unreachable service, naming the setting
     */
    public static FrontServer start(Env env) {
        ServerSettings settings = new ServerSettings(env);
        KafkaSettings kafka = new KafkaSettings(env);
        Database database = Database.open(new DatabaseSettings(env));
        Topics.ensure(kafka);
        Authenticator auth;
        if (settings.authDisabled()) {
            LOG.warn("QUIRE_AUTH=none: EVERY client may read and edit EVERY document. Use this for local development only.");
            auth = Authenticator.allowAll();
        } else {
            auth = new JwtAuthenticator(settings.jwtSecret(), Clock.systemUTC());
        }
        KafkaUpdateLog log = new KafkaUpdateLog(kafka, settings.frontId(), settings.maxPendingWrites());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("quire-hub"));
        ExecutorService loaders = Executors.newFixedThreadPool(4, daemon("quire-loader"));
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("quire-timer"));
        DocumentHub[] hubRef = new DocumentHub[1];
        TailConsumer tail = new TailConsumer(kafka, r -> hubRef[0].onLogRecord(r));
        DocumentHub hub = new DocumentHub(new SnapshotAndLogLoader(new DocumentHistory(database.dataSource()), kafka, tail.partitions()),
                log, pool, loaders, timers, settings.unloadAfter());
        hubRef[0] = hub;
        tail.start();
        HocuspocusEndpoint hocuspocus = new HocuspocusEndpoint(hub, auth, settings.pingInterval(), settings.idleTimeout(), timers);
        PlainEndpoint plain = new PlainEndpoint(hub, auth, settings.pingInterval(), timers);
        FrontMetrics metrics = new FrontMetrics(hocuspocus, hub, log);
        hocuspocus.onNewCloseCode(metrics::closes);
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxBinaryMessageSize(settings.maxFrameBytes());
                f.setMaxTextMessageSize(64 * 1024);
                f.setIdleTimeout(settings.idleTimeout().plusSeconds(30));
            });
            cfg.routes.ws("/", hocuspocus::register);
            cfg.routes.ws("/hocuspocus", hocuspocus::register);
            cfg.routes.ws("/yjs/{document}", plain::register);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            cfg.routes.get("/health/live", ctx -> ctx.json(java.util.Map.of("status", "up")));
            cfg.routes.get("/health/ready", ctx -> ctx.json(java.util.Map.of("status", "up",
                    "openDocuments", hub.openDocuments(), "openSockets", hocuspocus.open(), "pendingKafkaWrites", log.pendingWrites())));
        });
        app.start(settings.host(), settings.port());
        LOG.info("front {} serving on port {} (topic {} at {})", settings.frontId(), app.port(), kafka.topic(), kafka.bootstrap());
        return new FrontServer(app, database, log, tail, pool, loaders, timers, hub);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        tail.close();
        log.close();
        hub.close();
        pool.shutdown();
        loaders.shutdown();
        timers.shutdown();
        database.close();
    }
}
