package dev.quire.cli.dev;

import dev.quire.cli.CliException;
import dev.quire.cli.Quire;
import dev.quire.core.QuireException;
import dev.quire.core.config.Env;
import dev.quire.core.kafka.LocalBroker;
import dev.quire.persister.Persister;
import dev.quire.server.FrontServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code quire dev}: the whole system in one process for a first try. An embedded PostgreSQL and a Kafka broker
 * (a child JVM) keep their data in one directory, so documents survive a restart; then a persister and a front
 * with authentication off run as {@code quire persister} and {@code quire server} would. Off means anyone who
 * reaches the port edits every document, so the front listens on 127.0.0.1 only, and it refuses web pages of other
 * origins (a page on any site could otherwise post to it from the developer's browser).
 */
@Command(name = "dev",
        description = {
            "Run everything in one process for a first try: embedded PostgreSQL and Kafka (data in --data, kept across runs), "
                    + "a persister and a front with authentication OFF, listening on 127.0.0.1 only. Ctrl-C stops it.",
            "QUIRE_* variables still apply (e.g. QUIRE_AUTH, QUIRE_REDIS_URL, QUIRE_ALLOWED_ORIGINS), except the Kafka and database ones; "
                    + "QUIRE_SERVER_HOST other than loopback also needs QUIRE_AUTH=jwt or QUIRE_ALLOW_UNAUTHENTICATED_NETWORK=true."})
public final class DevCommand implements Callable<Integer> {
    /** Marks a directory as created by {@code quire dev}, so --reset never deletes anything else. */
    static final String MARKER = ".quire-dev";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "where Kafka's log and PostgreSQL's cluster live (default: ${DEFAULT-VALUE})")
    Path data = Path.of("quire-dev-data");

    @Option(names = "--reset", description = "start over: delete the data directory first")
    boolean reset;

    @Option(names = "--port", description = "the front's port (default: ${DEFAULT-VALUE})")
    int port = 8080;

    @Override
    public Integer call() throws Exception {
        var io = ((Quire) spec.root().userObject()).io();
        PrintStream out = new PrintStream(io.stdout(), true, StandardCharsets.UTF_8);
        Path services = servicesDirectory();
        Path dir = data.toAbsolutePath().normalize();
        if (reset) {
            deleteDevDirectory(dir);
        }
        prepare(dir);

        out.println("quire dev: data in " + dir + (reset ? " (reset)" : ""));
        Path pages = DemoPages.prepare(services.getParent().resolve("web"), out);
        DevPostgres postgres = DevPostgres.start(dir.resolve("postgres"));
        LocalBroker kafka;
        try {
            ensureKafkaJars(services);
            kafka = LocalBroker.start(services.resolve("kafka"), dir.resolve("kafka"), Duration.ofSeconds(120));
        } catch (Exception e) {
            postgres.close();
            throw e;
        }
        Map<String, String> env = new HashMap<>();
        io.env().withPrefix("QUIRE_").forEach((k, v) -> env.put("QUIRE_" + k, v));
        env.putIfAbsent("QUIRE_AUTH", "none");
        env.putIfAbsent("QUIRE_SERVER_HOST", "127.0.0.1");
        env.putIfAbsent("QUIRE_PERSISTER_HTTP_PORT", "0");
        env.put("QUIRE_SERVER_PORT", Integer.toString(port));
        if (pages != null) {
            env.putIfAbsent("QUIRE_WEB_DIR", pages.toString());
        }
        env.put("QUIRE_KAFKA_BOOTSTRAP", kafka.bootstrap());
        env.put("QUIRE_DATABASE_URL", postgres.jdbcUrl());
        env.put("QUIRE_DATABASE_USER", "postgres");
        env.put("QUIRE_DATABASE_PASSWORD", "postgres");
        env.put("QUIRE_DATABASE_SCHEMA", "quire");
        Persister persister = null;
        FrontServer front;
        try {
            persister = Persister.start(new Env(env));
            front = FrontServer.start(new Env(env));
        } catch (QuireException e) {
            if (persister != null) {
                persister.close();
            }
            kafka.close();
            postgres.close();
            throw CliException.input(e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
        }
        out.println("quire dev: ready");
        if (pages != null) {
            out.println("  demo editor (open it in two tabs):   http://127.0.0.1:" + front.port() + "/?doc=welcome");
            out.println("  its history, with a slider:          http://127.0.0.1:" + front.port() + "/history.html?doc=welcome");
        }
        out.println("  editors (Hocuspocus, e.g. Tiptap): ws://127.0.0.1:" + front.port());
        out.println("  y-websocket:                        ws://127.0.0.1:" + front.port() + "/yjs/<document>");
        out.println("  documents API:                      http://127.0.0.1:" + front.port() + "/api/documents/<document>?format=text");
        out.println("  health, metrics:                    http://127.0.0.1:" + front.port() + "/health/ready, /metrics");
        out.println("  Kafka " + kafka.bootstrap() + ", PostgreSQL " + postgres.jdbcUrl() + " (schema quire)");
        out.println("  Ctrl-C stops; the data stays in " + dir + " (--reset starts over)");

        CountDownLatch stopped = new CountDownLatch(1);
        Persister p = persister;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                front.close();
                p.close();
                kafka.close();
                postgres.close();
            } catch (Exception e) {
                System.err.println("quire dev: stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "quire-dev-shutdown"));
        stopped.await();
        return Quire.EXIT_OK;
    }

    /** The broker's jars, copied from Maven by services.sh on the first run on a machine. */
    private static void ensureKafkaJars(Path services) throws IOException, InterruptedException {
        if (!Files.exists(services.resolve("kafka").resolve("libs").resolve(".complete"))) {
            Process p = new ProcessBuilder(services.resolve("services.sh").toString(), "kafka-libs").inheritIO().start();
            if (p.waitFor() != 0) {
                throw CliException.io("could not fetch the Kafka jars (services/services.sh kafka-libs failed, output above)");
            }
        }
    }

    /** services/ of the checkout this jar was built in (cli/target/quire.jar), or of the working directory. */
    private static Path servicesDirectory() throws Exception {
        Path jar = Path.of(DevCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (Path candidate : new Path[] {jar.getParent().getParent().getParent().resolve("services"), Path.of("services").toAbsolutePath()}) {
            if (Files.exists(candidate.resolve("kafka").resolve("server.properties.template"))) {
                return candidate;
            }
        }
        throw CliException.input("quire dev runs from a checkout of the Quire repository: no services/kafka next to " + jar
                + " or in the working directory");
    }

    private static void prepare(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.exists(dir.resolve(MARKER))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw CliException.input(dir + " exists and was not made by quire dev: choose another --data");
                }
            }
        }
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve(MARKER))) {
            Files.writeString(dir.resolve(MARKER), "data of quire dev (Kafka log, PostgreSQL cluster); quire dev --reset deletes it\n");
        }
    }

    private static void deleteDevDirectory(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.exists(dir.resolve(MARKER))) {
            throw CliException.input("--reset: " + dir + " was not made by quire dev (no " + MARKER + "), not deleting it");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
