package dev.quire.cli;

import dev.quire.core.QuireException;
import dev.quire.server.FrontServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code quire server}: runs a front ({@link FrontServer}) with the settings of {@link Io#env()} until SIGTERM. */
@Command(name = "server",
        description = {
            "Run a front: the Hocuspocus WebSocket endpoint (ws://HOST:PORT/ and /hocuspocus), every change through Kafka.",
            "Settings come from the QUIRE_* environment variables; a wrong one, or a Kafka or PostgreSQL that cannot be "
                    + "reached, stops it at once with exit code 2 and a message naming the variable."})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Io io = ((Quire) spec.root().userObject()).io();
        FrontServer server;
        try {
            server = FrontServer.start(io.env());
        } catch (dev.quire.server.redis.RedisConfigException e) { // issue 6: one exit code per Redis misconfiguration
            throw new CliException(e.exitCode(), e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
        } catch (QuireException e) {
            throw CliException.input(e.getMessage().strip().replaceAll("\\s*\\R\\s*", " "));
        } catch (KafkaException e) {
            throw CliException.input("Kafka refused the client settings: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "quire-server-shutdown"));
        stopped.await();
        return Quire.EXIT_OK;
    }
}
