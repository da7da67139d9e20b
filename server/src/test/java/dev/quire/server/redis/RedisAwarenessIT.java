package dev.quire.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.quire.core.config.Env;
import dev.quire.server.protocol.AwarenessUpdate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two {@link RedisAwarenessBus}es = two fronts, against a real redis-server with requirepass. */
class RedisAwarenessIT {
    @TempDir
    static Path dir;
    static RedisTestServer redis;

    @BeforeAll
    static void server() throws Exception {
        redis = RedisTestServer.plain(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        redis.close();
    }

    /** What a front's hub received: (document, entry, arrival nanos). */
    record Got(String document, AwarenessUpdate.Entry entry, long at) {
    }

    static final class Front implements AutoCloseable {
        final RedisAwarenessBus bus;
        final List<Got> got = new CopyOnWriteArrayList<>();

        Front(String id) {
            RedisSettings s = new RedisSettings(new Env(Map.of("QUIRE_REDIS_URL", redis.url(true))));
            bus = RedisAwarenessBus.connect(s, id, Duration.ofMillis(200));
            bus.start((doc, bytes) -> {
                long now = System.nanoTime();
                for (AwarenessUpdate.Entry e : AwarenessUpdate.decode(bytes).entries()) {
                    got.add(new Got(doc, e, now));
                }
            });
        }

        boolean has(String doc, long client, long clock, String state) {
            return got.stream().anyMatch(g -> g.document.equals(doc) && g.entry.clientId() == client && g.entry.clock() == clock
                    && g.entry.state().equals(state));
        }

        @Override
        public void close() {
            bus.close();
        }
    }

    static byte[] update(long client, long clock, String state) {
        return new AwarenessUpdate(List.of(new AwarenessUpdate.Entry(client, clock, state))).encode();
    }

    static void await(String what, Duration max, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void latencyBetweenFronts() throws Exception {
        try (Front a = new Front("front-a"); Front b = new Front("front-b")) {
            a.bus.subscribe("lat");
            b.bus.subscribe("lat");
            Thread.sleep(200);
            int n = 200;
            long[] sent = new long[n + 1];
            for (int i = 1; i <= n; i++) {
                sent[i] = System.nanoTime();
                a.bus.publish("lat", update(7, i, "{\"cursor\":" + i + "}"));
                Thread.sleep(10);
            }
            await("the last update", Duration.ofSeconds(5), () -> b.has("lat", 7, n, "{\"cursor\":" + n + "}"));
            // an update is delivered when it, or a newer one of the same client (coalescing), arrives
            List<Long> latencies = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                final int clock = i;
                long arrival = b.got.stream().filter(g -> g.document.equals("lat") && g.entry.clientId() == 7 && g.entry.clock() >= clock)
                        .mapToLong(Got::at).min().orElseThrow();
                latencies.add((arrival - sent[i]) / 1000);
            }
            Collections.sort(latencies);
            long p50 = latencies.get(n / 2);
            long p99 = latencies.get((int) Math.ceil(n * 0.99) - 1);
            long max = latencies.get(n - 1);
            System.out.printf("awareness front A -> front B over Redis, %d updates every 10 ms, coalescing 20 ms: p50 %.1f ms, "
                    + "p99 %.1f ms, max %.1f ms, %d messages received by B%n", n, p50 / 1000.0, p99 / 1000.0, max / 1000.0, b.got.size());
            assertThat(p99).as("p99 latency in µs").isLessThan(100_000);
            assertThat(a.got).as("a front ignores its own messages").isEmpty();
        }
    }

    @Test
    void lateSubscriberGetsCurrentStatesAndRemovalsPropagate() throws Exception {
        try (Front a = new Front("front-a"); Front b = new Front("front-b")) {
            a.bus.subscribe("late");
            a.bus.publish("late", update(1, 3, "{\"user\":\"ann\"}"));
            a.bus.publish("late", update(2, 1, "{\"user\":\"bob\"}"));
            Thread.sleep(300);
            b.bus.subscribe("late");
            await("current states", Duration.ofSeconds(2), () -> b.has("late", 1, 3, "{\"user\":\"ann\"}") && b.has("late", 2, 1, "{\"user\":\"bob\"}"));
            b.bus.publish("late", update(9, 1, "{\"user\":\"cy\"}"));
            await("B's state on A", Duration.ofSeconds(2), () -> a.has("late", 9, 1, "{\"user\":\"cy\"}"));

            a.bus.publish("late", update(1, 4, "null"));
            await("removal", Duration.ofSeconds(2), () -> b.has("late", 1, 4, "null"));
            Thread.sleep(100);
            try (Front c = new Front("front-c")) {
                c.bus.subscribe("late");
                await("states on a third front", Duration.ofSeconds(2), () -> c.has("late", 2, 1, "{\"user\":\"bob\"}") && c.has("late", 9, 1, "{\"user\":\"cy\"}"));
                Thread.sleep(200);
                assertThat(c.got).as("the removed client is gone from Redis").noneMatch(g -> g.entry.clientId() == 1);
            }
        }
    }

    @Test
    void coalescesHighFrequencyUpdates() throws Exception {
        try (Front a = new Front("front-a"); Front b = new Front("front-b")) {
            b.bus.subscribe("burst");
            Thread.sleep(200);
            for (int i = 1; i <= 1000; i++) {
                a.bus.publish("burst", update(5, i, "{\"x\":" + i + "}"));
            }
            await("the newest", Duration.ofSeconds(2), () -> b.has("burst", 5, 1000, "{\"x\":1000}"));
            System.out.printf("1000 updates published in a burst: %d batches sent to Redis, %d entries received by the other front%n",
                    a.bus.published(), b.got.size());
            assertThat(b.got.size()).isLessThan(100);
        }
    }

    @Test
    void redisKilledAndRestarted() throws Exception {
        try (Front a = new Front("front-a"); Front b = new Front("front-b")) {
            a.bus.subscribe("crash");
            b.bus.subscribe("crash");
            Thread.sleep(200);
            a.bus.publish("crash", update(1, 1, "{\"a\":1}"));
            b.bus.publish("crash", update(2, 1, "{\"b\":1}"));
            await("before", Duration.ofSeconds(2), () -> b.has("crash", 1, 1, "{\"a\":1}") && a.has("crash", 2, 1, "{\"b\":1}"));

            redis.kill();
            long killed = System.nanoTime();
            // publishing never throws while Redis is gone
            for (int i = 2; i < 50; i++) {
                final int clock = i;
                assertThatCode(() -> a.bus.publish("crash", update(1, clock, "{\"a\":" + clock + "}"))).doesNotThrowAnyException();
                Thread.sleep(20);
            }
            await("degraded", Duration.ofSeconds(5), () -> a.bus.state().equals("degraded") && b.bus.state().equals("degraded"));
            System.out.printf("degraded after %d ms; failures counted: A %d, B %d%n", (System.nanoTime() - killed) / 1_000_000,
                    a.bus.failures(), b.bus.failures());
            Thread.sleep(3000);
            b.bus.publish("crash", update(2, 2, "{\"b\":2}"));
            int before = b.got.size();

            redis.start(); // same port, empty: states must be re-published
            long restarted = System.nanoTime();
            await("up again", Duration.ofSeconds(10), () -> a.bus.state().equals("up") && b.bus.state().equals("up"));
            await("A's latest state re-published to B", Duration.ofSeconds(5), () -> b.has("crash", 1, 49, "{\"a\":49}"));
            await("B's latest state re-published to A", Duration.ofSeconds(5), () -> a.has("crash", 2, 2, "{\"b\":2}"));
            System.out.printf("recovered %d ms after the restart%n", (System.nanoTime() - restarted) / 1_000_000);
            assertThat(b.got.size()).isGreaterThan(before);

            a.bus.publish("crash", update(1, 50, "{\"a\":50}"));
            await("flows again", Duration.ofSeconds(2), () -> b.has("crash", 1, 50, "{\"a\":50}"));
        }
    }
}
