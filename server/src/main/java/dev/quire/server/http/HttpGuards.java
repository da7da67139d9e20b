package dev.quire.server.http;

import dev.quire.core.DocumentNames;
import dev.quire.core.config.ConfigException;
import dev.quire.server.ServerSettings;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What protects a front's HTTP side beyond authentication: who may reach a front without it, which web pages may
 * use it, how large a body may be, and how long a connection may take to send its headers or stay idle.
 */
public final class HttpGuards {
    private static final Logger LOG = LoggerFactory.getLogger(HttpGuards.class);

    private HttpGuards() {
    }

    /**
     * Refuses to serve without authentication on an address other hosts can reach, unless asked to: with
     * {@code QUIRE_AUTH=none} anyone who reaches the port reads and edits every document.
     *
     * @throws ConfigException saying what to set
     */
    public static void checkExposure(ServerSettings settings) {
        if (!settings.authDisabled() || settings.allowUnauthenticatedNetwork() || isLoopback(settings.host())) {
            return;
        }
        throw new ConfigException(ServerSettings.AUTH.env() + "=none lets anyone who reaches the front read and edit every document, "
                + "so it listens only on a loopback address, and " + ServerSettings.HOST.env() + "='" + settings.host() + "' is not one: set "
                + ServerSettings.HOST.env() + "=127.0.0.1, or " + ServerSettings.AUTH.env() + "=jwt, or "
                + ServerSettings.ALLOW_UNAUTHENTICATED_NETWORK.env() + "=true if everyone on that network may edit every document");
    }

    static boolean isLoopback(String host) {
        try {
            // what Jetty binds to: the first address of the name
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Installs the guards on a Javalin being configured. */
    public static void configure(JavalinConfig cfg, ServerSettings settings) {
        cfg.http.maxRequestSize = settings.apiMaxBodyBytes(); // for any handler that reads a body through Javalin
        cfg.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector c : server.getConnectors()) {
                    if (c instanceof ServerConnector sc) {
                        sc.setIdleTimeout(settings.httpIdleTimeout().toMillis());
                        sc.addBean(new HeaderDeadline(sc, settings.httpHeaderTimeout(), ServerSettings.HTTP_HEADER_TIMEOUT.env()));
                    }
                }
            }
        }));
        // a browser must not guess a type for what the API returns (a document's text as HTML, say)
        cfg.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
        if (settings.authDisabled()) {
            Origins origins = new Origins(settings.allowedOrigins());
            cfg.routes.before(ctx -> {
                String refusal = refusal(origins, ctx);
                if (refusal != null) {
                    ctx.status(403).json(Map.of("error", refusal));
                    ctx.skipRemainingHandlers();
                }
            });
            cfg.routes.wsBeforeUpgrade(ctx -> {
                String refusal = refusal(origins, ctx);
                if (refusal != null) {
                    throw new ForbiddenResponse(refusal);
                }
            });
        }
    }

    private static String refusal(Origins origins, Context ctx) {
        String origin = ctx.header("Origin");
        String refusal = origins.refusal(origin, ctx.header("Host"));
        if (refusal != null) {
            LOG.info("refused {} {} from origin {} (QUIRE_AUTH=none)", ctx.method(), DocumentNames.forLog(ctx.path()),
                    DocumentNames.forLog(origin));
        }
        return refusal;
    }
}
