package dev.quire.server.ws;

import dev.quire.core.DocumentNames;
import dev.quire.server.auth.Access;
import dev.quire.server.auth.Authenticator;
import dev.quire.server.hub.DocumentHub;
import dev.quire.server.hub.Periodic;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.CloseCode;
import dev.quire.server.protocol.IncomingMessage;
import dev.quire.server.protocol.PlainCodec;
import dev.quire.server.protocol.ProtocolException;
import io.javalin.websocket.WsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain y-websocket protocol on {@code /yjs/{document}}: the token comes as the {@code token} query
 * parameter or an {@code Authorization: Bearer} header; a refused token closes with 4401 (none) or 4403. The same
 * socket limits as Hocuspocus sockets: frames per second (4429), idle close (4408), bytes waiting to be written (4205),
 * text frames refused (1002).
 */
public final class PlainEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(PlainEndpoint.class);
    private final DocumentHub hub;
    private final Authenticator auth;
    private final int maxMessagesPerSecond;
    private final int maxSocketBufferBytes;
    private final Duration idleTimeout;
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();

    /** One y-websocket socket: its one document connection and what its limits count. */
    private static final class Socket {
        final SocketSender sender;
        final PlainPeer peer;
        final Address address;
        final RateLimiter rate;
        volatile long lastInbound = System.nanoTime();

        Socket(SocketSender sender, PlainPeer peer, Address address, RateLimiter rate) {
            this.sender = sender;
            this.peer = peer;
            this.address = address;
            this.rate = rate;
        }
    }

    public PlainEndpoint(DocumentHub hub, Authenticator auth, dev.quire.server.ServerSettings settings,
                         java.util.concurrent.ScheduledExecutorService timers) {
        this.hub = hub;
        this.auth = auth;
        this.maxMessagesPerSecond = settings.maxMessagesPerSecond();
        this.maxSocketBufferBytes = settings.maxSocketBufferBytes();
        this.idleTimeout = settings.idleTimeout();
        long ping = settings.pingInterval().toMillis();
        Periodic.every(timers, ping, "pinging y-websocket sockets", () -> sockets.values().forEach(s -> s.sender.ping()));
        Periodic.every(timers, Math.max(1000, idleTimeout.toMillis() / 4), "closing idle y-websocket sockets", this::closeIdle);
    }

    private void closeIdle() {
        long now = System.nanoTime();
        sockets.forEach((id, s) -> {
            if (now - s.lastInbound > idleTimeout.toNanos()) {
                LOG.info("y-websocket {}: nothing received for {} s, closing with 4408", id, idleTimeout.toSeconds());
                s.sender.close(CloseCode.CONNECTION_TIMEOUT.code(), CloseCode.CONNECTION_TIMEOUT.reason());
            }
        });
    }

    public void register(WsConfig ws) {
        ws.onConnect(ctx -> {
            String document = ctx.pathParam("document");
            String token = ctx.queryParam("token");
            String header = ctx.header("Authorization");
            if (token == null && header != null && header.startsWith("Bearer ")) {
                token = header.substring(7);
            }
            SocketSender sender = new SocketSender(ctx, maxSocketBufferBytes);
            String invalid = DocumentNames.problem(document);
            if (invalid != null) {
                LOG.info("y-websocket {}: closing with {}: {}", ctx.sessionId(), CloseCode.BAD_REQUEST.code(), invalid);
                sender.close(CloseCode.BAD_REQUEST.code(), invalid);
                return;
            }
            Access access = auth.authorize(token == null ? "" : token, document);
            if (access == Access.DENIED) {
                CloseCode code = token == null ? CloseCode.UNAUTHORIZED : CloseCode.FORBIDDEN;
                LOG.info("y-websocket {}: {} for document '{}'", ctx.sessionId(), code, DocumentNames.forLog(document));
                sender.close(code.code(), code.reason());
                return;
            }
            PlainPeer peer = new PlainPeer(ctx.sessionId(), access == Access.READ_ONLY, sender);
            sockets.put(ctx.sessionId(), new Socket(sender, peer, Address.of(document),
                    maxMessagesPerSecond <= 0 ? null : new RateLimiter(maxMessagesPerSecond)));
            hub.attach(peer, document);
        });
        ws.onBinaryMessage(ctx -> {
            Socket s = sockets.get(ctx.sessionId());
            if (s == null || s.sender.closed()) {
                return;
            }
            byte[] frame = new byte[ctx.data().remaining()];
            ctx.data().get(frame);
            onFrame(ctx.sessionId(), s, frame);
        });
        ws.onMessage(ctx -> {
            Socket s = sockets.get(ctx.sessionId());
            if (s != null) {
                s.sender.close(CloseCode.PROTOCOL_ERROR.code(), "text frames are not part of the protocol");
            } else {
                ctx.closeSession(CloseCode.PROTOCOL_ERROR.code(), "text frames are not part of the protocol");
            }
        });
        ws.onClose(ctx -> {
            Socket s = sockets.remove(ctx.sessionId());
            LOG.info("y-websocket {} closed: {}", ctx.sessionId(),
                    s == null ? ctx.status() + " " + ctx.reason() : s.sender.describeClose(ctx.status(), ctx.reason()));
            if (s != null) {
                hub.detach(s.peer, s.address.document());
            }
        });
        ws.onError(ctx -> LOG.debug("y-websocket {} error: {}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    /** Frames of one socket arrive on one thread at a time (Jetty's demand), so the rate limiter needs no lock. */
    private void onFrame(String id, Socket s, byte[] frame) {
        s.lastInbound = System.nanoTime();
        if (s.rate != null && !s.rate.tryAcquire(s.lastInbound)) {
            LOG.info("y-websocket {}: closing with 4429: more than {} messages per second", id, s.rate.perSecond());
            s.sender.close(CloseCode.RATE_LIMITED.code(), CloseCode.RATE_LIMITED.reason());
            return;
        }
        try {
            IncomingMessage m = PlainCodec.decode(frame, s.address);
            String document = s.address.document();
            if (m instanceof IncomingMessage.SyncStep1 step1) {
                hub.syncStep1(s.peer, document, step1.stateVector());
            } else if (m instanceof IncomingMessage.SyncStep2 step2) {
                hub.update(s.peer, document, step2.update());
            } else if (m instanceof IncomingMessage.Update u) {
                hub.update(s.peer, document, u.update());
            } else if (m instanceof IncomingMessage.Awareness a) {
                hub.awareness(s.peer, document, a.update());
            }
        } catch (ProtocolException e) {
            LOG.info("y-websocket {}: closing with {}: {}", id, e.closeCode().code(), e.getMessage());
            s.peer.closeDocument(e.getMessage());
        }
    }

    /** Closes every socket of this endpoint (server shutdown). */
    public void closeAll(dev.quire.server.protocol.CloseCode code, String reason) {
        for (Socket s : sockets.values()) {
            s.sender.close(code.code(), reason);
        }
    }
}
