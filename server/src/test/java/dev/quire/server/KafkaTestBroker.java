package dev.quire.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A private single-node KRaft broker in a child JVM, for tests that take Kafka away: it runs from the jars and
 * the broker configuration {@code services/services.sh} uses (so {@code services.sh up} must have run, as
 * {@code ./test} does), on its own ports and data directory, and can be killed and restarted on the same data.
 */
public final class KafkaTestBroker implements AutoCloseable {
    private static final Path KAFKA_HOME = Path.of(System.getProperty("quire.root", ".."), "services", "kafka");

    private final Path dir;
    private final int port;
    private Process process;

    private KafkaTestBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Formats a data directory under {@code dir} and starts the broker; returns once it answers. */
    public static KafkaTestBroker start(Path dir) throws Exception {
        Path libs = KAFKA_HOME.resolve("libs");
        if (!Files.exists(libs.resolve(".complete"))) {
            throw new IllegalStateException("no Kafka jars in " + libs.toAbsolutePath() + ": run services/services.sh up first");
        }
        int port = ItEnv.freePort();
        int controllerPort = ItEnv.freePort();
        String config = Files.readString(KAFKA_HOME.resolve("server.properties.template"))
                .replace("127.0.0.1:9092", "127.0.0.1:" + port)
                .replace("127.0.0.1:9093", "127.0.0.1:" + controllerPort)
                .replace("@DATA@", dir.toAbsolutePath().toString());
        Files.writeString(dir.resolve("server.properties"), config);
        KafkaTestBroker b = new KafkaTestBroker(dir, port);
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        id[0] &= 0x7f; // a leading '-' would read as an option
        Process format = b.java("kafka.tools.StorageTool", "format", "--standalone", "-t",
                Base64.getUrlEncoder().withoutPadding().encodeToString(id), "-c", dir.resolve("server.properties").toString())
                .redirectOutput(dir.resolve("format.log").toFile()).redirectErrorStream(true).start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the test broker failed: " + Files.readString(dir.resolve("format.log")));
        }
        b.restart();
        return b;
    }

    private ProcessBuilder java(String main, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-Xms128m", "-Xmx384m",
                "-Dlog4j2.configurationFile=" + KAFKA_HOME.resolve("log4j2.properties").toAbsolutePath(),
                "-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath(), "-cp", KAFKA_HOME.resolve("libs").toAbsolutePath() + "/*", main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker (again, on the same ports and data) and waits until it answers. */
    public void restart() throws Exception {
        process = java("kafka.Kafka", dir.resolve("server.properties").toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.out").toFile())).redirectErrorStream(true).start();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        p.put("request.timeout.ms", "2000");
        p.put("default.api.timeout.ms", "3000");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the test broker did not start: see " + dir.resolve("kafka.out"), e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** Kills the broker at once (SIGKILL): clients see an abrupt outage. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
