package dev.quire.server.http;

import dev.quire.server.ServerSettings;
import io.javalin.config.JavalinConfig;

/**
 * What protects a front's HTTP side beyond authentication: how large a body may be and what a browser may make of
 * an answer.
 */
public final class HttpGuards {
    private HttpGuards() {
    }

    /** Installs the guards on a Javalin being configured. */
    public static void configure(JavalinConfig cfg, ServerSettings settings) {
        cfg.http.maxRequestSize = settings.apiMaxBodyBytes(); // for any handler that reads a body through Javalin
        // a browser must not guess a type for what the API returns (a document's text as HTML, say)
        cfg.routes.before(ctx -> ctx.header("X-Content-Type-Options", "nosniff"));
    }
}
