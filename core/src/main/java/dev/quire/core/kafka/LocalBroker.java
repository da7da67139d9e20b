package dev.quire.core.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A single-node KRaft broker in a child JVM, run from the jars and the broker configuration of
 * {@code services/kafka} (the broker the tests use), with its own data directory and free ports. {@code quire dev}
 * runs one; tests that take Kafka away kill and restart one. The jars come from {@code services/services.sh
 * kafka-libs}.
 */
public final class LocalBroker implements AutoCloseable {
    private final Path home;
    private final Path data;
    private final int port;
    private final Duration readyTimeout;
    private Process process;

    private LocalBroker(Path home, Path data, int port, Duration readyTimeout) {
        this.home = home;
        this.data = data;
        this.port = port;
        this.readyTimeout = readyTimeout;
    }

    /**
     * Starts a broker on {@code data} (formatted on first use; its ports are chosen now and kept for restarts)
     * and waits until it answers.
     *
     * @param home {@code services/kafka}: {@code libs/}, {@code server.properties.template}, {@code log4j2.properties}
     */
    public static LocalBroker start(Path home, Path data, Duration readyTimeout) throws IOException, InterruptedException {
        Path libs = home.resolve("libs");
        if (!Files.exists(libs.resolve(".complete"))) {
            throw new IOException("no Kafka jars in " + libs.toAbsolutePath() + ": run services/services.sh kafka-libs first");
        }
        Files.createDirectories(data.resolve("logs"));
        LocalBroker broker = new LocalBroker(home, data, freePort(), readyTimeout);
        Path config = data.resolve("server.properties");
        Files.writeString(config, Files.readString(home.resolve("server.properties.template"))
                .replace("127.0.0.1:9092", "127.0.0.1:" + broker.port)
                .replace("127.0.0.1:9093", "127.0.0.1:" + freePort())
                .replace("@DATA@", data.toAbsolutePath().toString()));
        if (!Files.exists(data.resolve("kraft-logs").resolve("meta.properties"))) {
            Process format = broker.java("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(data.resolve("format.log").toFile()).start();
            if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                throw new IOException("formatting Kafka's storage failed: " + Files.readString(data.resolve("format.log")));
            }
        }
        broker.restart();
        return broker;
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xms128m", "-Xmx512m",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties").toAbsolutePath(),
                "-Dkafka.logs.dir=" + data.resolve("logs").toAbsolutePath(), "-cp", home.resolve("libs").toAbsolutePath() + "/*", main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Starts the broker (again: same ports, same data) and waits until it answers. */
    public void restart() throws IOException, InterruptedException {
        process = java("kafka.Kafka", data.resolve("server.properties").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("kafka.out").toFile())).start();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("request.timeout.ms", "2000");
        p.put("default.api.timeout.ms", "3000");
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        process.destroyForcibly();
                        throw new IOException("the Kafka broker did not start (log: " + data.resolve("kafka.out") + ")", e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Kills the broker at once (SIGKILL): clients see an abrupt outage. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the broker cleanly (SIGTERM, controlled shutdown), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** A KRaft cluster id: 16 random bytes in URL-safe base64 without padding (never starting with '-'). */
    private static String clusterId() {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        id[0] &= 0x7f;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
