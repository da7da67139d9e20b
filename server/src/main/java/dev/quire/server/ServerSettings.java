package dev.quire.server;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;
import dev.quire.core.config.Setting;
import java.time.Duration;
import java.util.UUID;

/** Settings of a front (Kafka and PostgreSQL connection settings are in core). */
public final class ServerSettings {
    public static final Setting<String> HOST = Setting.string("QUIRE_SERVER_HOST", "0.0.0.0", "Address the front listens on.");
    public static final Setting<Integer> PORT = Setting.integer("QUIRE_SERVER_PORT", 8080, 0, 65535,
            "Port of the WebSocket endpoints (/hocuspocus, /yjs/{document}) and the HTTP API (0 = a free port).");
    public static final Setting<String> AUTH = Setting.string("QUIRE_AUTH", "jwt",
            "Authentication: jwt (tokens signed with QUIRE_JWT_SECRET or verified with QUIRE_JWT_PUBLIC_KEY[_FILE]), or none (anyone may edit anything: local development only).");
    public static final Setting<String> JWT_SECRET = Setting.string("QUIRE_JWT_SECRET", "",
            "HS256 secret of the JWTs clients present (with QUIRE_AUTH=jwt: this, or a public key, is required).").secret();
    public static final Setting<String> JWT_PUBLIC_KEY = Setting.string("QUIRE_JWT_PUBLIC_KEY", "",
            "PEM public key (-----BEGIN PUBLIC KEY-----) verifying RS256 (RSA) or ES256 (P-256) JWTs.");
    public static final Setting<String> JWT_PUBLIC_KEY_FILE = Setting.string("QUIRE_JWT_PUBLIC_KEY_FILE", "",
            "Path of a PEM public key file verifying RS256 or ES256 JWTs (instead of QUIRE_JWT_PUBLIC_KEY).");
    public static final Setting<Integer> MAX_FRAME_BYTES = Setting.integer("QUIRE_MAX_FRAME_BYTES", 16 * 1024 * 1024, 1024, Integer.MAX_VALUE,
            "Largest WebSocket frame accepted, in bytes; a larger one closes the socket with 1009.");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("QUIRE_IDLE_TIMEOUT", "60s",
            "A socket that sends nothing for this long is closed with 4408.");
    public static final Setting<Duration> PING_INTERVAL = Setting.duration("QUIRE_PING_INTERVAL", "25s",
            "Interval of WebSocket pings, shorter than load-balancer idle timeouts (AWS ALB: 60 s).");
    public static final Setting<Integer> MAX_PENDING_WRITES = Setting.integer("QUIRE_MAX_PENDING_WRITES", 10_000, 1, 10_000_000,
            "Updates waiting for Kafka's acknowledgement at most; beyond it new updates are refused (see README).").expert();
    public static final Setting<Duration> UNLOAD_AFTER = Setting.duration("QUIRE_UNLOAD_AFTER", "30s",
            "A document without connections is unloaded after this long.").expert();
    public static final Setting<String> FRONT_ID = Setting.string("QUIRE_FRONT_ID", "",
            "Name of this front in the origin header of its Kafka records (default: a random id).").expert();
    public static final Setting<Integer> MAX_MESSAGES_PER_SECOND = Setting.integer("QUIRE_MAX_MESSAGES_PER_SECOND", 500, 0, 1_000_000,
            "Frames per second one Hocuspocus socket may send on average (0 = unlimited), after a burst of max(1000, this); beyond it the socket is closed with 4429.");
    public static final Setting<Integer> MAX_DOCUMENTS_PER_SOCKET = Setting.integer("QUIRE_MAX_DOCUMENTS_PER_SOCKET", 100, 1, 100_000,
            "Documents one Hocuspocus socket may hold; an Auth beyond it is answered with PermissionDenied (too-many-documents), the socket stays open.");
    public static final Setting<Duration> AUTH_TIMEOUT = Setting.duration("QUIRE_AUTH_TIMEOUT", "15s",
            "A Hocuspocus socket that has authenticated no document this long after it opened is closed with 4401, whatever it sends meanwhile.");
    public static final Setting<Integer> MAX_PREAUTH_BYTES = Setting.integer("QUIRE_MAX_PREAUTH_BYTES", 64 * 1024 * 1024, 0, Integer.MAX_VALUE,
            "Bytes of frames all sockets of the front together may hold queued before their documents' Auth; a socket that would go beyond it is closed with 4205.");
    public static final Setting<Integer> MAX_UNAUTHENTICATED_SOCKETS_PER_ADDRESS = Setting.integer(
            "QUIRE_MAX_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", 1000, 0, 1_000_000,
            "Hocuspocus sockets from one IP address that may be open before authenticating a document (0 = unlimited); beyond it new ones are closed with 1013 Try Again Later. Behind a proxy every socket comes from the proxy's address: raise it or set 0 there.");
    public static final Setting<Integer> MAX_SOCKET_BUFFER_BYTES = Setting.integer("QUIRE_MAX_SOCKET_BUFFER_BYTES", 64 * 1024 * 1024, 64 * 1024,
            Integer.MAX_VALUE,
            "Bytes sent to one socket and not yet written to the network at most (a client that stops reading); beyond it the socket is closed with 4205. Must exceed the largest document state a client downloads at once.");
    public static final Setting<Integer> MAX_AWARENESS_CLIENTS = Setting.integer("QUIRE_MAX_AWARENESS_CLIENTS",
            dev.quire.server.hub.DocumentHub.DEFAULT_MAX_AWARENESS_CLIENTS, 1, 10_000,
            "Awareness client ids one document connection may set (a provider sets one; the other clients' states that older providers echo back do not count); one more closes that document connection.");
    public static final Setting<Integer> MAX_AWARENESS_STATE_BYTES = Setting.integer("QUIRE_MAX_AWARENESS_STATE_BYTES",
            dev.quire.server.hub.DocumentHub.DEFAULT_MAX_AWARENESS_STATE_BYTES, 64, Integer.MAX_VALUE,
            "Largest awareness state (a client's user, cursor, ...: JSON) accepted, in bytes of UTF-8; a larger one closes that document connection.");
    public static final Setting<Boolean> COMPRESSION = Setting.bool("QUIRE_WS_COMPRESSION", false,
            "Accept WebSocket permessage-deflate. Off by default: with many small Yjs frames it costs more latency (p99) and per-socket memory than it saves.");
    public static final Setting<String> WEB_DIR = Setting.string("QUIRE_WEB_DIR", "",
            "Directory of static pages served at / (quire dev sets it to the demo editor and history pages of web/dist).").expert();
    public static final Setting<Integer> API_MAX_BODY_BYTES = Setting.integer("QUIRE_API_MAX_BODY_BYTES", 1_000_000, 1, Integer.MAX_VALUE,
            "Largest HTTP request body (an update or text posted to the documents API), in bytes; a larger one gets 413. Kafka's default record limit is 1 MiB.");
    public static final Setting<Integer> API_MAX_CONCURRENT_READS = Setting.integer("QUIRE_API_MAX_CONCURRENT_READS", 4, 1, 10_000,
            "Documents the HTTP API loads and renders at once (reads of a document or a version, text appends); a further request waits up to 2 s, then gets 503 with Retry-After.");
    public static final Setting<Integer> API_MAX_DOCUMENT_BYTES = Setting.integer("QUIRE_API_MAX_DOCUMENT_BYTES", 16 * 1024 * 1024, 1024, Integer.MAX_VALUE,
            "Largest document the HTTP API loads, in bytes of the updates that make it (snapshot, history rows, Kafka tail); a larger one gets 422. Rendering one takes several times this in heap, for each of QUIRE_API_MAX_CONCURRENT_READS.");
    public static final Setting<Duration> HTTP_IDLE_TIMEOUT = Setting.duration("QUIRE_HTTP_IDLE_TIMEOUT", "30s",
            "An HTTP connection (not a WebSocket) that sends nothing for this long is closed.");
    public static final Setting<Duration> HTTP_HEADER_TIMEOUT = Setting.duration("QUIRE_HTTP_HEADER_TIMEOUT", "10s",
            "A request's line and headers must arrive within this long of its first byte (of the connection's opening for its first request), else the connection is closed: clients trickling headers (slowloris) cannot hold connections.");
    public static final Setting<Boolean> ALLOW_UNAUTHENTICATED_NETWORK = Setting.bool("QUIRE_ALLOW_UNAUTHENTICATED_NETWORK", false,
            "With QUIRE_AUTH=none the front refuses to start on a QUIRE_SERVER_HOST that is not loopback (127.0.0.1, ::1, localhost) unless this is true: only for a network where anyone may edit every document.");
    public static final Setting<String> ALLOWED_ORIGINS = Setting.string("QUIRE_ALLOWED_ORIGINS", "",
            "With QUIRE_AUTH=none: browser origins (scheme://host[:port], comma-separated) allowed besides loopback ones and the front's own IP address; requests and WebSocket upgrades with another Origin get 403.");

    private final String host;
    private final int port;
    private final String auth;
    private final String jwtSecret;
    private final java.security.PublicKey jwtPublicKey;
    private final int maxFrameBytes;
    private final Duration idleTimeout;
    private final Duration pingInterval;
    private final int maxPendingWrites;
    private final Duration unloadAfter;
    private final String frontId;
    private final int maxMessagesPerSecond;
    private final int maxDocumentsPerSocket;
    private final boolean compression;
    private final Duration authTimeout;
    private final int maxPreAuthBytes;
    private final int maxUnauthenticatedSocketsPerAddress;
    private final int maxSocketBufferBytes;
    private final int maxAwarenessClients;
    private final int maxAwarenessStateBytes;
    private final String webDir;
    private final int apiMaxBodyBytes;
    private final int apiMaxConcurrentReads;
    private final int apiMaxDocumentBytes;
    private final Duration httpIdleTimeout;
    private final Duration httpHeaderTimeout;
    private final boolean allowUnauthenticatedNetwork;
    private final java.util.List<String> allowedOrigins;

    public ServerSettings(Env env) {
        host = env.get(HOST);
        maxMessagesPerSecond = env.get(MAX_MESSAGES_PER_SECOND);
        maxDocumentsPerSocket = env.get(MAX_DOCUMENTS_PER_SOCKET);
        port = env.get(PORT);
        auth = env.get(AUTH);
        jwtSecret = env.get(JWT_SECRET);
        maxFrameBytes = env.get(MAX_FRAME_BYTES);
        compression = env.get(COMPRESSION);
        authTimeout = env.get(AUTH_TIMEOUT);
        maxPreAuthBytes = env.get(MAX_PREAUTH_BYTES);
        maxUnauthenticatedSocketsPerAddress = env.get(MAX_UNAUTHENTICATED_SOCKETS_PER_ADDRESS);
        maxSocketBufferBytes = env.get(MAX_SOCKET_BUFFER_BYTES);
        maxAwarenessClients = env.get(MAX_AWARENESS_CLIENTS);
        maxAwarenessStateBytes = env.get(MAX_AWARENESS_STATE_BYTES);
        webDir = env.get(WEB_DIR).trim();
        if (!webDir.isEmpty() && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(webDir))) {
            throw new dev.quire.core.config.ConfigException(WEB_DIR.env() + "='" + webDir + "' is not a directory");
        }
        idleTimeout = env.get(IDLE_TIMEOUT);
        pingInterval = env.get(PING_INTERVAL);
        maxPendingWrites = env.get(MAX_PENDING_WRITES);
        unloadAfter = env.get(UNLOAD_AFTER);
        String id = env.get(FRONT_ID);
        frontId = id.isBlank() ? "front-" + UUID.randomUUID().toString().substring(0, 8) : id;
        if (!auth.equals("jwt") && !auth.equals("none")) {
            throw new ConfigException(AUTH.env() + "='" + auth + "' is not valid: use jwt or none");
        }
        jwtPublicKey = auth.equals("jwt") ? publicKey(env) : null;
        if (auth.equals("jwt") && jwtSecret.isEmpty() && jwtPublicKey == null) {
            throw new ConfigException(AUTH.env() + "=jwt needs " + JWT_SECRET.env() + " (HS256), " + JWT_PUBLIC_KEY.env() + " or "
                    + JWT_PUBLIC_KEY_FILE.env() + " (RS256/ES256) (or set " + AUTH.env() + "=none for local development only)");
        }
        if (auth.equals("jwt") && !jwtSecret.isEmpty() && jwtSecret.length() < 32) {
            throw new ConfigException(JWT_SECRET.env() + " must hold a secret of at least 32 characters when " + AUTH.env()
                    + "=jwt (or set " + AUTH.env() + "=none for local development only)");
        }
        apiMaxBodyBytes = env.get(API_MAX_BODY_BYTES);
        apiMaxConcurrentReads = env.get(API_MAX_CONCURRENT_READS);
        apiMaxDocumentBytes = env.get(API_MAX_DOCUMENT_BYTES);
        httpIdleTimeout = positive(env, HTTP_IDLE_TIMEOUT);
        httpHeaderTimeout = positive(env, HTTP_HEADER_TIMEOUT);
        allowUnauthenticatedNetwork = env.get(ALLOW_UNAUTHENTICATED_NETWORK);
        allowedOrigins = dev.quire.server.http.Origins.parse(ALLOWED_ORIGINS.env(), env.get(ALLOWED_ORIGINS));
    }

    private static java.security.PublicKey publicKey(Env env) {
        String inline = env.get(JWT_PUBLIC_KEY);
        String file = env.get(JWT_PUBLIC_KEY_FILE);
        if (!inline.isBlank() && !file.isBlank()) {
            throw new ConfigException("set only one of " + JWT_PUBLIC_KEY.env() + " and " + JWT_PUBLIC_KEY_FILE.env());
        }
        String name = inline.isBlank() ? JWT_PUBLIC_KEY_FILE.env() : JWT_PUBLIC_KEY.env();
        String pem = inline;
        if (!file.isBlank()) {
            try {
                pem = java.nio.file.Files.readString(java.nio.file.Path.of(file));
            } catch (java.io.IOException | RuntimeException e) {
                throw new ConfigException(name + "='" + file + "': cannot read the key file: " + e, e);
            }
        }
        if (pem.isBlank()) {
            return null;
        }
        try {
            return dev.quire.server.auth.PemKeys.publicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " is not a usable public key: " + e.getMessage(), e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean authDisabled() {
        return auth.equals("none");
    }

    public String jwtSecret() {
        return jwtSecret;
    }

    /** RS256/ES256 key, or null. */
    public java.security.PublicKey jwtPublicKey() {
        return jwtPublicKey;
    }

    /** Directory of static pages served at /, or empty. */
    public String webDir() {
        return webDir;
    }

    /** Whether permessage-deflate is offered to clients that ask for it. */
    public boolean compression() {
        return compression;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public int maxPendingWrites() {
        return maxPendingWrites;
    }

    public Duration unloadAfter() {
        return unloadAfter;
    }

    public String frontId() {
        return frontId;
    }

    public int maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    public int maxDocumentsPerSocket() {
        return maxDocumentsPerSocket;
    }

    public Duration authTimeout() {
        return authTimeout;
    }

    public int maxPreAuthBytes() {
        return maxPreAuthBytes;
    }

    public int maxUnauthenticatedSocketsPerAddress() {
        return maxUnauthenticatedSocketsPerAddress;
    }

    public int maxSocketBufferBytes() {
        return maxSocketBufferBytes;
    }

    public int maxAwarenessClients() {
        return maxAwarenessClients;
    }

    public int maxAwarenessStateBytes() {
        return maxAwarenessStateBytes;
    }

    public int apiMaxBodyBytes() {
        return apiMaxBodyBytes;
    }

    /** Documents the HTTP API loads and renders at once. */
    public int apiMaxConcurrentReads() {
        return apiMaxConcurrentReads;
    }

    /** Largest document the HTTP API loads, in bytes of its updates. */
    public int apiMaxDocumentBytes() {
        return apiMaxDocumentBytes;
    }

    public Duration httpIdleTimeout() {
        return httpIdleTimeout;
    }

    public Duration httpHeaderTimeout() {
        return httpHeaderTimeout;
    }

    /** A duration setting that must be more than 0 (a zero timeout would close every connection, or none). */
    private static Duration positive(Env env, Setting<Duration> setting) {
        Duration d = env.get(setting);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(setting.env() + " must be more than 0");
        }
        return d;
    }

    public boolean allowUnauthenticatedNetwork() {
        return allowUnauthenticatedNetwork;
    }

    /** Origins allowed besides loopback and same-address ones when auth is off, normalised by {@code http.Origins}. */
    public java.util.List<String> allowedOrigins() {
        return allowedOrigins;
    }
}
