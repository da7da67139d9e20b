package dev.quire.cli;

import dev.quire.core.QuireException;
import dev.quire.core.kafka.KafkaSettings;
import dev.quire.persister.Persister;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code quire persister}: runs a persister ({@link Persister}) with the settings of {@link Io#env()} until
 * the process is asked to stop (SIGTERM, Ctrl-C), then closes it cleanly.
 */
@Command(name = "persister",
        description = {
            "Run a persister: the Kafka updates topic into PostgreSQL history and snapshots, until SIGTERM.",
            "Settings come from the QUIRE_* environment variables (persister/README.md); a wrong one, or a Kafka or "
                    + "PostgreSQL that cannot be reached, stops it at once with exit code 2 and a message naming the "
                    + "variable. Logs go to standard error; /metrics and /health/live|ready are served on "
                    + "QUIRE_PERSISTER_HTTP_PORT."})
final class PersisterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Io io = ((Quire) spec.root().userObject()).io();
        Persister persister;
        try {
            persister = Persister.start(io.env());
        } catch (QuireException e) { // ConfigException, or Kafka that cannot be reached (the message names the setting)
            throw CliException.input(oneLine(e.getMessage()));
        } catch (KafkaException e) { // a pass-through client property Kafka refuses
            throw CliException.input("Kafka refused the client settings (" + KafkaSettings.PROPERTY_PREFIX + "*): " + oneLine(e.getMessage()));
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            persister.close();
        }, "quire-persister-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        persister.awaitTermination();
        if (stopping.get()) {
            return Quire.EXIT_OK; // the hook closes the persister; the process exits when it is done
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        persister.close();
        throw new CliException(Quire.EXIT_IO, "the persister's loop stopped unexpectedly (its error is in the log above)");
    }

    private static String oneLine(String message) {
        return message == null ? "failed" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
