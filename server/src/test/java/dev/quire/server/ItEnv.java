package dev.quire.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.core.config.Env;
import dev.quire.core.kafka.KafkaSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A private topic and schema on the local Kafka and PostgreSQL for one test, node scripts, and the Kafka records. */
public final class ItEnv implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final String id = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    public final Map<String, String> env = new HashMap<>();

    public ItEnv() {
        env.put("QUIRE_KAFKA_BOOTSTRAP", sys("QUIRE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
        env.put("QUIRE_KAFKA_TOPIC", "quire.it." + id);
        env.put("QUIRE_KAFKA_PARTITIONS", "3");
        env.put("QUIRE_DATABASE_URL", sys("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:5432/quire_test"));
        env.put("QUIRE_DATABASE_USER", sys("QUIRE_DATABASE_USER", "quire"));
        env.put("QUIRE_DATABASE_PASSWORD", sys("QUIRE_DATABASE_PASSWORD", "quire"));
        env.put("QUIRE_DATABASE_SCHEMA", "it_" + id);
        env.put("QUIRE_AUTH", "none");
        env.put("QUIRE_SERVER_PORT", "0");
        env.put("QUIRE_SERVER_HOST", "127.0.0.1");
    }

    public ItEnv with(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Env toEnv() {
        return new Env(env);
    }

    public FrontServer start() {
        return FrontServer.start(toEnv());
    }

    /**
     * A front as its own JVM process ({@code ServerMain} on this test's class path, 256 MB heap), with {@code env}
     * added to the inherited environment and stderr merged into stdout: for tests that kill a front or time its start.
     */
    public static ProcessBuilder frontProcess(Map<String, String> env) {
        return frontProcess(env, "256m");
    }

    /** {@link #frontProcess(Map)} with a heap of {@code heap} (a -Xmx value), ending on an OutOfMemoryError as shipped. */
    public static ProcessBuilder frontProcess(Map<String, String> env, String heap) {
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb;
    }

    /** The environment variable, or def when it is unset or blank. */
    public static String sys(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }

    /** A port nothing listens on now. */
    public static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Runs {@code node scenarios.mjs args...}; completes with its last stdout line; onStderr sees each stderr line. */
    static CompletableFuture<JsonNode> nodeAsync(java.util.function.Consumer<String> onStderr, String... args) throws Exception {
        Path dir = Path.of(System.getProperty("quire.js.dir", "src/test/js"));
        List<String> cmd = new ArrayList<>(List.of("node", "scenarios.mjs"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        Thread err = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    System.err.println("[node] " + line);
                    onStderr.accept(line);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        err.setDaemon(true);
        err.start();
        return CompletableFuture.supplyAsync(() -> {
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                String[] lines = out.split("\n");
                return JSON.readTree(lines[lines.length - 1]);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    static JsonNode node(String... args) throws Exception {
        return nodeAsync(l -> { }, args).get(150, TimeUnit.SECONDS);
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** A value of the front's Prometheus scrape (the first series whose line starts with {@code name}), or 0 when absent. */
    public static double metric(FrontServer front, String name) throws Exception {
        String body = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + front.port() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Every record of the test topic: (key, value). */
    public void records(BiConsumer<String, byte[]> each) {
        KafkaSettings kafka = new KafkaSettings(toEnv());
        Properties p = kafka.clientProperties();
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = c.partitionsFor(kafka.topic()).stream().map(i -> new TopicPartition(kafka.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    each.accept(new String(r.key(), StandardCharsets.UTF_8), r.value());
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        try (Connection c = DriverManager.getConnection(env.get("QUIRE_DATABASE_URL"), env.get("QUIRE_DATABASE_USER"),
                env.get("QUIRE_DATABASE_PASSWORD"))) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS it_" + id + " CASCADE");
        }
        try (Admin admin = Admin.create(new KafkaSettings(toEnv()).clientProperties())) {
            admin.deleteTopics(List.of(env.get("QUIRE_KAFKA_TOPIC"))).all().get();
        } catch (Exception ignored) {
            // never created
        }
    }

}
