package dev.quire.server.ws;

import dev.quire.server.auth.Access;
import dev.quire.server.auth.Authenticator;
import dev.quire.server.hub.DocumentHub;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.CloseCode;
import dev.quire.server.protocol.IncomingMessage;
import dev.quire.server.protocol.PlainCodec;
import dev.quire.server.protocol.ProtocolException;
import io.javalin.websocket.WsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain y-websocket protocol on {@code /yjs/{document}}: the token comes as the {@code token} query
 * parameter or an {@code Authorization: Bearer} header; a refused token closes with 4401 (none) or 4403.
 */
public final class PlainEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(PlainEndpoint.class);
    private final DocumentHub hub;
    private final Authenticator auth;
    private final Map<String, PlainPeer> peers = new ConcurrentHashMap<>();
    private final Map<String, Address> documents = new ConcurrentHashMap<>();

    private final Map<String, SocketSender> senders = new ConcurrentHashMap<>();

    public PlainEndpoint(DocumentHub hub, Authenticator auth, Duration pingInterval, java.util.concurrent.ScheduledExecutorService timers) {
        this.hub = hub;
        this.auth = auth;
        timers.scheduleAtFixedRate(() -> senders.values().forEach(SocketSender::ping), pingInterval.toMillis(),
                pingInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void register(WsConfig ws) {
        ws.onConnect(ctx -> {
            String document = ctx.pathParam("document");
            String token = ctx.queryParam("token");
            String header = ctx.header("Authorization");
            if (token == null && header != null && header.startsWith("Bearer ")) {
                token = header.substring(7);
            }
            SocketSender sender = new SocketSender(ctx);
            Access access = document.isBlank() ? Access.DENIED : auth.authorize(token == null ? "" : token, document);
            if (access == Access.DENIED) {
                CloseCode code = token == null ? CloseCode.UNAUTHORIZED : CloseCode.FORBIDDEN;
                LOG.info("y-websocket {}: {} for document '{}'", ctx.sessionId(), code, document);
                sender.close(code.code(), code.reason());
                return;
            }
            senders.put(ctx.sessionId(), sender);
            PlainPeer peer = new PlainPeer(ctx.sessionId(), access == Access.READ_ONLY, sender);
            peers.put(ctx.sessionId(), peer);
            documents.put(ctx.sessionId(), Address.of(document));
            hub.attach(peer, document);
        });
        ws.onBinaryMessage(ctx -> {
            PlainPeer peer = peers.get(ctx.sessionId());
            Address address = documents.get(ctx.sessionId());
            if (peer == null) {
                return;
            }
            byte[] frame = new byte[ctx.data().remaining()];
            ctx.data().get(frame);
            try {
                IncomingMessage m = PlainCodec.decode(frame, address);
                if (m instanceof IncomingMessage.SyncStep1 s) {
                    hub.syncStep1(peer, address.document(), s.stateVector());
                } else if (m instanceof IncomingMessage.SyncStep2 s) {
                    hub.update(peer, address.document(), s.update());
                } else if (m instanceof IncomingMessage.Update u) {
                    hub.update(peer, address.document(), u.update());
                } else if (m instanceof IncomingMessage.Awareness a) {
                    hub.awareness(peer, address.document(), a.update());
                }
            } catch (ProtocolException e) {
                LOG.info("y-websocket {}: closing with {}: {}", ctx.sessionId(), e.closeCode().code(), e.getMessage());
                peer.closeDocument(e.getMessage());
            }
        });
        ws.onClose(ctx -> {
            SocketSender sender = senders.remove(ctx.sessionId());
            PlainPeer peer = peers.remove(ctx.sessionId());
            Address address = documents.remove(ctx.sessionId());
            LOG.info("y-websocket {} closed: {}", ctx.sessionId(),
                    sender == null ? ctx.status() + " " + ctx.reason() : sender.describeClose(ctx.status(), ctx.reason()));
            if (peer != null) {
                hub.detach(peer, address.document());
            }
        });
        ws.onError(ctx -> LOG.debug("y-websocket {} error: {}", ctx.sessionId(), String.valueOf(ctx.error())));
    }

    /** Closes every socket of this endpoint (server shutdown). */
    public void closeAll(dev.quire.server.protocol.CloseCode code, String reason) {
        for (SocketSender sender : senders.values()) {
            sender.close(code.code(), reason);
        }
    }
}
