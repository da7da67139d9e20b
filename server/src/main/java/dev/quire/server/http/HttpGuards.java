package dev.quire.server.http;

import dev.quire.server.ServerSettings;
import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * What protects a front's HTTP side beyond authentication: how large a body may be, what a browser may make of an
 * answer, and how long a connection may take to send its headers or stay idle.
 */
public final class HttpGuards {
    private HttpGuards() {
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
    }
}
