package dev.quire.server.ws;

import dev.quire.core.DocumentNames;
import dev.quire.server.auth.Access;
import dev.quire.server.auth.Authenticator;
import dev.quire.server.hub.DocumentHub;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.CloseCode;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.server.protocol.IncomingMessage;
import dev.quire.server.protocol.IncomingMessage.AuthToken;
import dev.quire.server.protocol.IncomingMessage.Awareness;
import dev.quire.server.protocol.IncomingMessage.BroadcastStateless;
import dev.quire.server.protocol.IncomingMessage.Close;
import dev.quire.server.protocol.IncomingMessage.DocumentMessage;
import dev.quire.server.protocol.IncomingMessage.Pong;
import dev.quire.server.protocol.IncomingMessage.SyncStep1;
import dev.quire.server.protocol.IncomingMessage.SyncStep2;
import dev.quire.server.protocol.IncomingMessage.Update;
import dev.quire.server.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Hocuspocus socket: several documents multiplexed by address, each authenticated by its own Auth frame.
 * Frames for a document that arrive before its Auth are queued within limits (5 MiB, 1,000 frames, 100
 * documents per socket, as Hocuspocus, and the front's budget for all unauthenticated frames: {@link SocketLimits}),
 * then replayed in order. Frames are handled in the order received.
 */
final class HocuspocusSession {
    private static final Logger LOG = LoggerFactory.getLogger(HocuspocusSession.class);
    static final int MAX_QUEUED_BYTES = 5 * 1024 * 1024;
    static final int MAX_QUEUED_MESSAGES = 1000;
    static final int MAX_PENDING_DOCUMENTS = 100;
    /** Reason of the PermissionDenied sent for an Auth beyond the documents-per-socket limit. */
    static final String TOO_MANY_DOCUMENTS = "too-many-documents";

    private final String id;
    private final SocketSender sender;
    private final DocumentHub hub;
    private final Authenticator auth;
    private final Map<Address, DocState> docs = new HashMap<>();
    private final SocketLimits limits;
    private final RateLimiter rate;
    private final Runnable onFirstAuthentication;
    private int queuedBytes;
    private int queuedMessages;
    final long openedAt = System.nanoTime();
    volatile long lastInbound = openedAt;
    volatile boolean everAuthenticated;

    private static final class DocState {
        final List<DocumentMessage> queue = new ArrayList<>();
        int queuedBytes;
        HocuspocusPeer peer;
    }

    /**
     * @param limits {@code maxDocuments}: authenticated documents a socket may hold at once; an Auth beyond it is
     *     answered with PermissionDenied (reason {@value #TOO_MANY_DOCUMENTS}) and the socket stays open for its other
     *     documents, which is what every provider version already handles for a refused document;
     *     {@code maxMessagesPerSecond}: frames per second a socket may send on average (0 = unlimited), with a burst of
     *     {@link RateLimiter#burstFor(int)}; beyond it the socket is closed with 4429 Too Many Messages
     * @param onFirstAuthentication run once, when the first document is authenticated or the socket closes before
     */
    HocuspocusSession(String id, SocketSender sender, DocumentHub hub, Authenticator auth, SocketLimits limits,
                      Runnable onFirstAuthentication) {
        this.limits = limits;
        this.rate = limits.maxMessagesPerSecond <= 0 ? null : new RateLimiter(limits.maxMessagesPerSecond);
        this.id = id;
        this.sender = sender;
        this.hub = hub;
        this.auth = auth;
        this.onFirstAuthentication = onFirstAuthentication;
    }

    /** Whether a frame of {@code size} bytes may be read: until a first document is authenticated, only small ones. */
    boolean acceptsFrameOf(int size) {
        return everAuthenticated || size <= SocketLimits.PRE_AUTH_MAX_FRAME_BYTES;
    }

    synchronized void onFrame(byte[] frame) {
        lastInbound = System.nanoTime();
        if (sender.closed()) {
            return; // closed (by a limit or an error): frames still in flight are dropped
        }
        if (rate != null && !rate.tryAcquire(lastInbound)) {
            LOG.info("socket {}: closing with 4429: more than {} messages per second", id, rate.perSecond());
            sender.close(CloseCode.RATE_LIMITED.code(), CloseCode.RATE_LIMITED.reason());
            return;
        }
        IncomingMessage m;
        try {
            m = HocuspocusCodec.decode(frame);
        } catch (ProtocolException e) {
            LOG.info("socket {}: closing with {}: {}", id, e.closeCode().code(), e.getMessage());
            sender.close(e.closeCode().code(), e.getMessage());
            return;
        }
        if (m instanceof Pong) {
            return;
        }
        DocumentMessage dm = (DocumentMessage) m;
        DocState s = docs.get(dm.address());
        if (dm instanceof AuthToken token) {
            if (s != null && s.peer != null) {
                return; // a token refresh on an established connection: nothing to re-check for now
            }
            authenticate(token, s);
            return;
        }
        if (s == null || s.peer == null) {
            queue(dm, frame.length);
            return;
        }
        dispatch(s, dm);
    }

    private void queue(DocumentMessage m, int size) {
        DocState s = docs.get(m.address());
        if (s == null) {
            if (docs.size() >= MAX_PENDING_DOCUMENTS) {
                reset("more than " + MAX_PENDING_DOCUMENTS + " documents before authentication");
                return;
            }
            s = new DocState();
            docs.put(m.address(), s);
        }
        if (queuedBytes + size > MAX_QUEUED_BYTES || queuedMessages + 1 > MAX_QUEUED_MESSAGES) {
            reset("too many messages before authentication (" + (queuedMessages + 1) + " frames, " + (queuedBytes + size)
                    + " bytes)");
            return;
        }
        if (!limits.tryQueue(size)) {
            reset("the front holds too many frames waiting for authentication");
            return;
        }
        queuedBytes += size;
        queuedMessages++;
        s.queuedBytes += size;
        s.queue.add(m);
    }

    private void reset(String why) {
        LOG.info("socket {}: closing with 4205: {}", id, why);
        sender.close(CloseCode.RESET_CONNECTION.code(), why);
    }

    private void authenticate(AuthToken token, DocState existing) {
        Address address = token.address();
        String document = address.document();
        String invalid = DocumentNames.problem(document);
        Access access = invalid != null ? Access.DENIED : auth.authorize(token.token(), document);
        if (access == Access.DENIED) {
            if (existing != null) {
                release(existing);
                docs.remove(address);
            }
            LOG.info("socket {}: permission denied for document '{}'{}", id, DocumentNames.forLog(document),
                    invalid == null ? "" : ": " + invalid);
            sender.send(HocuspocusCodec.permissionDenied(address, invalid == null ? "permission-denied" : invalid));
            return;
        }
        if (authenticatedDocuments() >= limits.maxDocuments) {
            if (existing != null) {
                release(existing);
                docs.remove(address);
            }
            LOG.info("socket {}: refusing document '{}': the socket already holds {} documents", id, document, limits.maxDocuments);
            sender.send(HocuspocusCodec.permissionDenied(address, TOO_MANY_DOCUMENTS));
            return;
        }
        DocState s = existing != null ? existing : new DocState();
        docs.put(address, s);
        boolean readOnly = access == Access.READ_ONLY;
        s.peer = new HocuspocusPeer(id + "/" + address, address, readOnly, sender, () -> closeDocument(address),
                token.providerVersion() != null);
        if (!everAuthenticated) {
            everAuthenticated = true;
            onFirstAuthentication.run();
        }
        sender.send(HocuspocusCodec.authenticated(address, readOnly));
        hub.attach(s.peer, document);
        List<DocumentMessage> queued = new ArrayList<>(s.queue);
        release(s);
        for (DocumentMessage q : queued) {
            dispatch(s, q);
        }
    }

    private int authenticatedDocuments() {
        int n = 0;
        for (DocState d : docs.values()) {
            if (d.peer != null) {
                n++;
            }
        }
        return n;
    }

    private void release(DocState s) {
        queuedMessages -= s.queue.size();
        queuedBytes -= s.queuedBytes;
        limits.unqueue(s.queuedBytes);
        s.queue.clear();
        s.queuedBytes = 0;
    }

    private void dispatch(DocState s, DocumentMessage m) {
        String document = m.address().document();
        try {
            if (m instanceof SyncStep1 step1) {
                hub.syncStep1(s.peer, document, step1.stateVector());
            } else if (m instanceof SyncStep2 step2) {
                hub.update(s.peer, document, step2.update());
            } else if (m instanceof Update u) {
                hub.update(s.peer, document, u.update());
            } else if (m instanceof Awareness a) {
                hub.awareness(s.peer, document, a.update());
            } else if (m instanceof Close) {
                closeDocument(m.address());
            } else if (m instanceof BroadcastStateless) {
                s.peer.closeDocument("BroadcastStateless is not accepted from clients");
            }
            // QueryAwareness and Stateless from clients: ignored, as Hocuspocus does without hooks
        } catch (ProtocolException e) {
            LOG.info("socket {}: closing document connection {}: {}", id, m.address(), e.getMessage());
            s.peer.closeDocument(e.getMessage());
        }
    }

    private synchronized void closeDocument(Address address) {
        DocState s = docs.remove(address);
        if (s != null && s.peer != null) {
            hub.detach(s.peer, address.document());
        }
    }

    /** The socket closed: leave every document. */
    synchronized void onClose() {
        for (Map.Entry<Address, DocState> e : docs.entrySet()) {
            if (e.getValue().peer != null) {
                hub.detach(e.getValue().peer, e.getKey().document());
            }
            release(e.getValue()); // give the front's budget back
        }
        docs.clear();
        if (!everAuthenticated) {
            everAuthenticated = true; // counted as left once
            onFirstAuthentication.run();
        }
    }
}
