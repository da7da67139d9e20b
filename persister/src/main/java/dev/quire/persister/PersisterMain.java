package dev.quire.persister;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;

/** Runs a persister from the environment until SIGTERM; {@code quire persister} calls this. */
public final class PersisterMain {
    private PersisterMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Persister p;
        try {
            p = Persister.start(Env.system());
        } catch (ConfigException e) {
            System.err.println("quire persister: " + e.getMessage());
            System.exit(2);
            return;
        }
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            p.close();
        }, "quire-persister-shutdown"));
        p.awaitTermination();
        if (!stopping.get()) {
            // the loop ended by itself: exit so that a supervisor restarts us, instead of living on as a
            // process whose HTTP thread answers while nothing is consumed
            System.err.println("quire persister: the consume loop stopped unexpectedly (see the log); exiting");
            p.close();
            System.exit(1);
        }
    }
}
