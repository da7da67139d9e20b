package dev.quire.server.ws;

import dev.quire.server.auth.Authenticator;
import dev.quire.server.hub.DocumentHub;
import dev.quire.server.hub.Periodic;
import dev.quire.server.protocol.CloseCode;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket wiring of the Hocuspocus protocol: registers connect, binary message, close and error
 * handlers and delegates to one {@link HocuspocusSession} per socket. Sends RFC 6455 pings, closes idle
 * sockets with 4408, logs every close with its code, and never closes without a status code.
 */
public final class HocuspocusEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(HocuspocusEndpoint.class);
    private final DocumentHub hub;
    private final Authenticator auth;
    private final Duration idleTimeout;
    private final SocketLimits limits;
    private final Map<String, HocuspocusSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, SocketSender> senders = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> closesByCode = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();
    /** Runs the sessions' {@link HocuspocusSession#onClose} (see the close handler for why not inline). */
    private final java.util.concurrent.ExecutorService closer = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quire-socket-close");
        t.setDaemon(true);
        return t;
    });
    private volatile java.util.function.BiConsumer<Integer, AtomicLong> newCloseCode = (c, n) -> { };

    /**
     * @param limits what one socket may cost (documents, frames per second, bytes waiting to be written) and what all
     *     sockets may cost before they authenticate (see {@link SocketLimits})
     */
    HocuspocusEndpoint(DocumentHub hub, Authenticator auth, Duration pingInterval, Duration idleTimeout,
                       ScheduledExecutorService timers, SocketLimits limits) {
        this.limits = limits;
        this.hub = hub;
        this.auth = auth;
        this.idleTimeout = idleTimeout;
        long check = Math.max(250, Math.min(idleTimeout.toMillis(), limits.authTimeout.toMillis()) / 4);
        Periodic.every(timers, check, "closing idle Hocuspocus sockets", this::closeIdle);
        // our own daemon timer rather than Javalin's automatic pings, whose thread keeps a stopped JVM alive
        Periodic.every(timers, pingInterval.toMillis(), "pinging Hocuspocus sockets", () -> senders.values().forEach(SocketSender::ping));
    }

    public HocuspocusEndpoint(DocumentHub hub, Authenticator auth, dev.quire.server.ServerSettings settings,
                              ScheduledExecutorService timers) {
        this(hub, auth, settings.pingInterval(), settings.idleTimeout(), timers, SocketLimits.of(settings));
    }

    public void register(WsConfig ws) {
        ws.onConnect(ctx -> {
            opened.incrementAndGet();
            SocketSender sender = new SocketSender(ctx, limits.maxSocketBufferBytes);
            java.net.SocketAddress remote = ctx.session.getRemoteSocketAddress();
            if (!limits.admit(remote)) {
                LOG.info("socket {}: closing with 1013: too many unauthenticated sockets from {}", ctx.sessionId(), remote);
                sender.close(CloseCode.TRY_AGAIN_LATER.code(), "too many unauthenticated sockets from this address");
                return;
            }
            senders.put(ctx.sessionId(), sender);
            sessions.put(ctx.sessionId(), new HocuspocusSession(ctx.sessionId(), sender, hub, auth, limits,
                    () -> limits.leave(remote)));
        });
        ws.onBinaryMessage(ctx -> {
            HocuspocusSession s = sessions.get(ctx.sessionId());
            if (s != null && !s.acceptsFrameOf(ctx.data().remaining())) {
                close(ctx, CloseCode.MESSAGE_TOO_BIG, "frame larger than " + SocketLimits.PRE_AUTH_MAX_FRAME_BYTES
                        + " bytes before authentication");
            } else if (s != null) {
                byte[] frame = new byte[ctx.data().remaining()];
                ctx.data().get(frame);
                s.onFrame(frame);
            }
        });
        ws.onMessage(ctx -> close(ctx, CloseCode.PROTOCOL_ERROR, "text frames are not part of the protocol"));
        ws.onClose(ctx -> {
            HocuspocusSession s = sessions.remove(ctx.sessionId());
            SocketSender sender = senders.remove(ctx.sessionId());
            int code = sender == null ? ctx.status() : sender.closeCode(ctx.status());
            closesByCode.computeIfAbsent(code, c -> {
                AtomicLong n = new AtomicLong();
                newCloseCode.accept(c, n);
                return n;
            }).incrementAndGet();
            LOG.info("socket {} closed: {}", ctx.sessionId(),
                    sender == null ? ctx.status() + " " + ctx.reason() : sender.describeClose(ctx.status(), ctx.reason()));
            if (s != null) {
                // not on this thread: Jetty calls this handler from inside a send whose write failed, and that thread (a
                // document's, broadcasting) holds the socket's sender while the socket's own thread, in onFrame, holds the
                // session and waits for the sender: a deadlock that wedged the document for good (found by HostileSoakIT)
                closer.execute(s::onClose);
            }
        });
        ws.onError(ctx -> {
            Throwable e = ctx.error();
            if (e instanceof org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException) {
                close(ctx, CloseCode.MESSAGE_TOO_BIG, "frame larger than the maximum");
            } else if (e instanceof java.nio.channels.ClosedChannelException) {
                LOG.debug("socket {} was closed by the peer while sending", ctx.sessionId());
            } else {
                LOG.warn("socket {} error: {}", ctx.sessionId(), e == null ? "unknown" : e.toString());
            }
        });
    }

    private void close(WsContext ctx, CloseCode code, String reason) {
        SocketSender sender = senders.get(ctx.sessionId());
        if (sender != null) {
            sender.close(code.code(), reason);
        } else {
            ctx.closeSession(code.code(), reason);
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        sessions.forEach((id, s) -> {
            if (!s.everAuthenticated && now - s.openedAt > limits.authTimeout.toNanos()) {
                SocketSender sender = senders.get(id);
                if (sender != null) {
                    LOG.info("socket {}: no document authenticated within {} ms, closing with 4401", id, limits.authTimeout.toMillis());
                    sender.close(CloseCode.UNAUTHORIZED.code(), "no document authenticated in time");
                }
            } else if (now - s.lastInbound > idleTimeout.toNanos()) {
                SocketSender sender = senders.get(id);
                if (sender != null) {
                    LOG.info("socket {}: nothing received for {} s, closing with 4408", id, idleTimeout.toSeconds());
                    sender.close(CloseCode.CONNECTION_TIMEOUT.code(), "Connection Timeout");
                }
            }
        });
    }

    /** Called once for each close code the first time a socket closes with it (to register a metric). */
    public void onNewCloseCode(java.util.function.BiConsumer<Integer, AtomicLong> listener) {
        this.newCloseCode = listener;
    }

    /** Sockets opened since start. */
    public long opened() {
        return opened.get();
    }

    /** Bytes of frames all sockets hold queued before their documents' Auth. */
    public long preAuthBytes() {
        return limits.preAuthBytes();
    }

    /** Sockets open now. */
    public int open() {
        return sessions.size();
    }

    /** Closed sockets by close code. */
    public Map<Integer, AtomicLong> closesByCode() {
        return closesByCode;
    }

    /** Closes every socket of this endpoint (server shutdown). */
    public void closeAll(dev.quire.server.protocol.CloseCode code, String reason) {
        for (SocketSender sender : senders.values()) {
            sender.close(code.code(), reason);
        }
    }
}
