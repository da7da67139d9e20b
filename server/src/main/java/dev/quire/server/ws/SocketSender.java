package dev.quire.server.ws;

import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends frames on one socket from any thread, one at a time (Jetty does not allow concurrent blocking sends). */
final class SocketSender {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSender.class);
    private final WsContext ctx;
    private volatile boolean closed;
    private volatile int sentCode;
    private volatile String sentReason = "";

    SocketSender(WsContext ctx) {
        this.ctx = ctx;
    }

    synchronized void send(byte[] frame) {
        if (closed || !ctx.session.isOpen()) {
            return;
        }
        try {
            ctx.send(ByteBuffer.wrap(frame));
        } catch (RuntimeException e) {
            LOG.debug("send on {} failed: {}", ctx.sessionId(), e.toString());
        }
    }

    /** An RFC 6455 ping: keeps load balancers from cutting an idle socket. */
    synchronized void ping() {
        if (closed || !ctx.session.isOpen()) {
            return;
        }
        try {
            ctx.sendPing(ByteBuffer.allocate(0));
        } catch (RuntimeException e) {
            LOG.debug("ping on {} failed: {}", ctx.sessionId(), e.toString());
        }
    }

    synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (ctx.session.isOpen()) {
            sentCode = code;
            sentReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
            ctx.closeSession(sentCode, sentReason);
        }
    }

    /**
     * How the socket ended, for the log and the close-code metric: the code this server sent when it closed it
     * (the peer may drop the TCP connection before it echoes the close frame, which Jetty reports as 1006),
     * otherwise what Jetty saw.
     */
    String describeClose(int observedCode, String observedReason) {
        return sentCode != 0 ? sentCode + " " + sentReason + " (closed by the server)"
                : observedCode + " " + (observedReason == null ? "" : observedReason);
    }

    /** The close code for the metric: the one sent by this server, if it closed the socket, else {@code observedCode}. */
    int closeCode(int observedCode) {
        return sentCode != 0 ? sentCode : observedCode;
    }

    boolean closed() {
        return closed || !ctx.session.isOpen();
    }
}
