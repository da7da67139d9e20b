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
import dev.quire.server.http.DocumentsApi;
import dev.quire.server.http.HealthChecks;
import dev.quire.server.http.HttpGuards;
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
    private final java.util.List<AutoCloseable> closeables = new java.util.concurrent.CopyOnWriteArrayList<>();

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
    /** Connections waiting to be accepted (capped by the kernel's net.core.somaxconn). */
    static final int ACCEPT_QUEUE = 4096;

    public static FrontServer start(Env env) {
        ServerSettings settings = new ServerSettings(env);
        KafkaSettings kafka = new KafkaSettings(env);
        // Redis first (issue 6): a misconfigured Redis stops the front within seconds, before the slower connections
        dev.quire.server.hub.AwarenessBus awarenessBus = dev.quire.server.redis.Redis.awarenessBus(env, settings.frontId());
        try {
            return start(env, settings, kafka, awarenessBus);
        } catch (RuntimeException e) {
            awarenessBus.close();
            throw e;
        }
    }

    private static FrontServer start(Env env, ServerSettings settings, KafkaSettings kafka,
                                     dev.quire.server.hub.AwarenessBus awarenessBus) {
        HttpGuards.checkExposure(settings); // after Redis's check, which must stay the first (issue 6)
        Database database = Database.open(new DatabaseSettings(env));
        int maxUpdateBytes = Topics.ensure(kafka);
        Authenticator auth;
        if (settings.authDisabled()) {
            LOG.warn("QUIRE_AUTH=none: EVERY client may read and edit EVERY document. Use this for local development only.");
            auth = Authenticator.allowAll();
        } else {
            auth = new JwtAuthenticator(settings.jwtSecret(), settings.jwtPublicKey(), Clock.systemUTC());
        }
        KafkaUpdateLog log = new KafkaUpdateLog(kafka, settings.frontId(), settings.maxPendingWrites(), maxUpdateBytes);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemon("quire-hub"));
        ExecutorService loaders = Executors.newFixedThreadPool(4, daemon("quire-loader"));
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("quire-timer"));
        DocumentHub[] hubRef = new DocumentHub[1];
        TailConsumer tail = new TailConsumer(kafka, r -> hubRef[0].onLogRecord(r),
                awarenessBus instanceof dev.quire.server.redis.RedisAwarenessBus);
        SnapshotAndLogLoader loader = new SnapshotAndLogLoader(new DocumentHistory(database.dataSource()), tail, kafka.topic(),
                tail.partitions());
        DocumentHub hub = new DocumentHub(loader,
                log, pool, loaders, timers, settings.unloadAfter());
        hubRef[0] = hub;
        tail.start();
        HocuspocusEndpoint hocuspocus = new HocuspocusEndpoint(hub, auth, settings, timers);
        PlainEndpoint plain = new PlainEndpoint(hub, auth, settings, timers);
        FrontMetrics metrics = new FrontMetrics(hocuspocus, hub, log, tail);
        hocuspocus.onNewCloseCode(metrics::closes);
        // documents API: its own producer, so that the hub of this front applies API writes coming back from the log
        KafkaUpdateLog apiLog = new KafkaUpdateLog(kafka, settings.frontId() + "/api", settings.maxPendingWrites(), maxUpdateBytes);
        DocumentsApi documentsApi = new DocumentsApi(auth, settings.authDisabled(), loader,
                new DocumentHistory(database.dataSource()), apiLog, DocumentsApi.Limits.of(settings));
        HealthChecks health = HealthChecks.of(kafka.clientProperties(), database.dataSource());
        health.worker("tail", tail::state);
        // --- awareness between fronts over Redis (issue 6), checked first thing in start(Env) ---
        hub.limitAwareness(settings.maxAwarenessClients(), settings.maxAwarenessStateBytes());
        hub.useAwarenessBus(awarenessBus);
        if (awarenessBus instanceof dev.quire.server.redis.RedisAwarenessBus redisBus) {
            health.redis(redisBus::state);
            metrics.redis(redisBus);
        }
        // --- end of awareness between fronts ---
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            HttpGuards.configure(cfg, settings);
            // the listen backlog: Java's default (50) overflows when hundreds of editors reconnect at once (a front
            // restart), and every overflowed SYN costs its client a 1 s retransmission
            cfg.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                    for (org.eclipse.jetty.server.Connector c : server.getConnectors()) {
                        if (c instanceof org.eclipse.jetty.server.ServerConnector sc) {
                            sc.setAcceptQueueSize(ACCEPT_QUEUE);
                        }
                    }
                }
            }));
            cfg.jetty.modifyWebSocketServletFactory(f -> {
                f.setMaxBinaryMessageSize(settings.maxFrameBytes());
                f.setMaxTextMessageSize(64 * 1024);
                f.setIdleTimeout(settings.idleTimeout().plusSeconds(30));
                if (!settings.compression()) {
                    // benchmarked (BENCHMARKS.md): deflating many small frames made p99 hundreds of ms and cost ~100 KB per socket
                    f.getAvailableExtensionNames().remove("permessage-deflate");
                }
            });
            if (!settings.webDir().isEmpty()) {
                cfg.staticFiles.add(settings.webDir(), io.javalin.http.staticfiles.Location.EXTERNAL);
            }
            cfg.routes.ws("/", hocuspocus::register);
            cfg.routes.ws("/hocuspocus", hocuspocus::register);
            cfg.routes.ws("/yjs/{document}", plain::register);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
            cfg.routes.get("/health/live", ctx -> ctx.json(java.util.Map.of("status", "up")));
            cfg.routes.get("/health/ready", ctx -> {
                java.util.Map<String, String> status = health.status();
                ctx.status(HealthChecks.httpStatus(status)).json(status);
            });
            cfg.routes.get("/api/documents/<path>", documentsApi::get);
            cfg.routes.post("/api/documents/<path>", documentsApi::post);
        });
        app.start(settings.host(), settings.port());
        LOG.info("front {} serving on port {} (topic {} at {}, accept queue {})", settings.frontId(), app.port(), kafka.topic(),
                kafka.bootstrap(), java.util.Arrays.stream(app.jettyServer().server().getConnectors())
                        .filter(c -> c instanceof org.eclipse.jetty.server.ServerConnector)
                        .map(c -> Integer.toString(((org.eclipse.jetty.server.ServerConnector) c).getAcceptQueueSize())).toList());
        FrontServer front = new FrontServer(app, database, log, tail, pool, loaders, timers, hub);
        front.goingAway = () -> {
            hocuspocus.closeAll(dev.quire.server.protocol.CloseCode.GOING_AWAY, "server shutting down");
            plain.closeAll(dev.quire.server.protocol.CloseCode.GOING_AWAY, "server shutting down");
        };
        front.closeables.add(apiLog);
        front.closeables.add(health);
        front.closeables.add(awarenessBus); // awareness between fronts (issue 6)
        return front;
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

    /** Closes every socket with 1001 before stopping, so clients see a status code, never 1006. */
    private Runnable goingAway = () -> { };

    @Override
    public void close() {
        goingAway.run();
        app.stop();
        tail.close();
        log.close();
        hub.close();
        pool.shutdown();
        loaders.shutdown();
        timers.shutdown();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c, e);
            }
        }
        database.close();
    }
}
