package dev.quire.server.ws;

import dev.quire.server.auth.Authenticator;
import dev.quire.server.hub.DocumentHub;
import dev.quire.server.protocol.CloseCode;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
    private final int maxDocumentsPerSocket;
    private final int maxMessagesPerSecond;
    private final Map<String, HocuspocusSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, SocketSender> senders = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> closesByCode = new ConcurrentHashMap<>();
    private final AtomicLong opened = new AtomicLong();
    private volatile java.util.function.BiConsumer<Integer, AtomicLong> newCloseCode = (c, n) -> { };

    public HocuspocusEndpoint(DocumentHub hub, Authenticator auth, Duration pingInterval, Duration idleTimeout,
                              ScheduledExecutorService timers) {
        this(hub, auth, pingInterval, idleTimeout, timers, 100, 500);
    }

    /**
     * @param maxDocumentsPerSocket documents one socket may hold; an Auth beyond it gets PermissionDenied
     *     ("too-many-documents") and the socket stays open
     * @param maxMessagesPerSecond frames per second per socket (0 = unlimited); beyond it (after a burst) the
     *     socket is closed with 4429 Too Many Messages
     */
    public HocuspocusEndpoint(DocumentHub hub, Authenticator auth, Duration pingInterval, Duration idleTimeout,
                              ScheduledExecutorService timers, int maxDocumentsPerSocket, int maxMessagesPerSecond) {
        this.maxDocumentsPerSocket = maxDocumentsPerSocket;
        this.maxMessagesPerSecond = maxMessagesPerSecond;
        this.hub = hub;
        this.auth = auth;
        this.idleTimeout = idleTimeout;
        long check = Math.max(1000, idleTimeout.toMillis() / 4);
        timers.scheduleAtFixedRate(this::closeIdle, check, check, TimeUnit.MILLISECONDS);
        // our own daemon timer rather than Javalin's automatic pings, whose thread keeps a stopped JVM alive
        timers.scheduleAtFixedRate(() -> senders.values().forEach(SocketSender::ping), pingInterval.toMillis(),
                pingInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void register(WsConfig ws) {
        ws.onConnect(ctx -> {
            opened.incrementAndGet();
            SocketSender sender = new SocketSender(ctx);
            senders.put(ctx.sessionId(), sender);
            sessions.put(ctx.sessionId(), new HocuspocusSession(ctx.sessionId(), sender, hub, auth,
                    maxDocumentsPerSocket, maxMessagesPerSecond));
        });
        ws.onBinaryMessage(ctx -> {
            HocuspocusSession s = sessions.get(ctx.sessionId());
            if (s != null) {
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
                s.onClose();
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
            if (now - s.lastInbound > idleTimeout.toNanos()) {
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
