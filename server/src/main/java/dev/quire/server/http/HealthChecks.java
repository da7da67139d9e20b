package dev.quire.server.http;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The readiness of a front: Kafka (cluster metadata within a short timeout), PostgreSQL (a pooled connection
 * that {@code isValid(1)}) and, when plugged in with {@link #redis}, Redis. Results are cached for
 * {@code cacheMillis} so that frequent probes do not load the services.
 *
 * <p>{@code status} is {@code down} when Kafka or PostgreSQL is down (HTTP 503), {@code degraded} when Redis is
 * degraded or down, else {@code up} (both HTTP 200).
 */
public final class HealthChecks implements AutoCloseable {
    public static final String UP = "up";
    public static final String DOWN = "down";
    public static final String DEGRADED = "degraded";
    public static final String DISABLED = "disabled";

    private final Supplier<Boolean> kafka;
    private final Supplier<Boolean> postgres;
    private volatile Supplier<String> redis = () -> DISABLED;
    private final Map<String, Supplier<String>> workers = new java.util.concurrent.ConcurrentHashMap<>();
    private final long cacheMillis;
    private final long timeoutMillis;
    private final ExecutorService checks = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "quire-health");
        t.setDaemon(true);
        return t;
    });
    private final Admin admin;
    private Map<String, String> cached;
    private long cachedAt;

    /** Checks against a Kafka admin client built from {@code kafkaProperties} and the pool {@code dataSource}. */
    public static HealthChecks of(Properties kafkaProperties, DataSource dataSource) {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.put("request.timeout.ms", "2000");
        p.put("default.api.timeout.ms", "2000");
        Admin admin = Admin.create(p);
        return new HealthChecks(admin, () -> {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(1500)).nodes().get(2, TimeUnit.SECONDS);
            return true;
        }, () -> {
            try (Connection c = dataSource.getConnection()) {
                return c.isValid(1);
            }
        }, 2000, 2000);
    }

    /** A check: true when up; false or an exception when down. */
    public interface Check {
        boolean up() throws Exception;
    }

    HealthChecks(Admin admin, Check kafka, Check postgres, long cacheMillis, long timeoutMillis) {
        this.admin = admin;
        this.kafka = guarded(kafka);
        this.postgres = guarded(postgres);
        this.cacheMillis = cacheMillis;
        this.timeoutMillis = timeoutMillis;
    }

    /** Tests: fixed checks, no Kafka client. */
    public static HealthChecks fixed(Check kafka, Check postgres, long cacheMillis) {
        return new HealthChecks(null, kafka, postgres, cacheMillis, 2000);
    }

    private static Supplier<Boolean> guarded(Check c) {
        return () -> {
            try {
                return c.up();
            } catch (Exception e) {
                return false;
            }
        };
    }

    /**
     * Plugs in the Redis state: the supplier returns {@code up}, {@code degraded}, {@code down} or
     * {@code disabled} (the default when nothing is plugged in). It must be quick and not throw.
     */
    public void redis(Supplier<String> state) {
        this.redis = state == null ? () -> DISABLED : state;
    }

    /**
     * Plugs in a background worker of the front (the tail consumer, say): its supplier returns {@code up} or
     * {@code down}; while one is down, so is the front (HTTP 503), as it no longer keeps its documents current.
     */
    public void worker(String name, Supplier<String> state) {
        workers.put(name, state);
    }

    /** {@code {status, kafka, postgres, redis}}, at most {@code cacheMillis} old. */
    public synchronized Map<String, String> status() {
        long now = System.nanoTime() / 1_000_000;
        if (cached != null && now - cachedAt < cacheMillis) {
            return cached;
        }
        CompletableFuture<Boolean> k = CompletableFuture.supplyAsync(kafka, checks);
        CompletableFuture<Boolean> p = CompletableFuture.supplyAsync(postgres, checks);
        String kafkaState = state(k);
        String postgresState = state(p);
        String redisState;
        try {
            redisState = String.valueOf(redis.get());
        } catch (RuntimeException e) {
            redisState = DOWN;
        }
        Map<String, String> workerStates = new java.util.TreeMap<>();
        workers.forEach((name, state) -> {
            try {
                workerStates.put(name, String.valueOf(state.get()));
            } catch (RuntimeException e) {
                workerStates.put(name, DOWN);
            }
        });
        String overall = kafkaState.equals(DOWN) || postgresState.equals(DOWN) || workerStates.containsValue(DOWN) ? DOWN
                : redisState.equals(DOWN) || redisState.equals(DEGRADED) ? DEGRADED : UP;
        Map<String, String> out = new LinkedHashMap<>();
        out.put("status", overall);
        out.put("kafka", kafkaState);
        out.put("postgres", postgresState);
        out.put("redis", redisState);
        out.putAll(workerStates);
        cached = java.util.Collections.unmodifiableMap(out);
        cachedAt = System.nanoTime() / 1_000_000;
        return cached;
    }

    /** 200 while serving (up or degraded), 503 when down. */
    public static int httpStatus(Map<String, String> status) {
        return DOWN.equals(status.get("status")) ? 503 : 200;
    }

    private String state(CompletableFuture<Boolean> check) {
        try {
            return Boolean.TRUE.equals(check.get(timeoutMillis, TimeUnit.MILLISECONDS)) ? UP : DOWN;
        } catch (Exception e) {
            check.cancel(true);
            return DOWN;
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
    }
}
