package dev.quire.server;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;

/** Runs a front from the environment until SIGTERM; {@code quire server} calls this. */
public final class ServerMain {
    private ServerMain() {
    }

    public static void main(String[] args) {
        FrontServer server;
        try {
            server = FrontServer.start(Env.system());
        } catch (dev.quire.server.redis.RedisConfigException e) { // one exit code per Redis misconfiguration, as `quire server`
            System.err.println("quire server: " + e.getMessage());
            System.exit(e.exitCode());
            return;
        } catch (ConfigException e) {
            System.err.println("quire server: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "quire-server-shutdown"));
    }
}
