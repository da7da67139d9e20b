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
        Runtime.getRuntime().addShutdownHook(new Thread(p::close, "quire-persister-shutdown"));
        p.awaitTermination();
    }
}
