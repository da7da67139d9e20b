package dev.quire.server.ws;

import dev.quire.server.protocol.CloseCode;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends frames on one socket from any thread, one at a time. Jetty queues what the network does not take yet without
 * a bound, so the bytes handed to it and not yet written are counted through the send callback: a client that stops
 * reading (while others keep editing, or on purpose) is closed with 4205 once they pass {@code maxBufferedBytes},
 * and its connection dropped at once, instead of the front's heap holding everything sent to it.
 */
final class SocketSender {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSender.class);
    private final WsContext ctx;
    private final long maxBufferedBytes;
    private final java.util.concurrent.atomic.AtomicLong buffered = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;
    private volatile int sentCode;
    private volatile String sentReason = "";

    SocketSender(WsContext ctx, long maxBufferedBytes) {
        this.ctx = ctx;
        this.maxBufferedBytes = maxBufferedBytes;
    }

    synchronized void send(byte[] frame) {
        if (closed || !ctx.session.isOpen()) {
            return;
        }
        int size = frame.length;
        long now = buffered.addAndGet(size);
        if (now > maxBufferedBytes) {
            buffered.addAndGet(-size);
            LOG.info("socket {}: closing with 4205: {} bytes sent to it are not written yet (the client does not read)",
                    ctx.sessionId(), now - size);
            close(CloseCode.RESET_CONNECTION.code(), "the client does not read what is sent to it");
            ctx.session.disconnect(); // the close frame would wait behind everything it did not read
            return;
        }
        try {
            ctx.session.sendBinary(ByteBuffer.wrap(frame), Callback.from(() -> buffered.addAndGet(-size), e -> buffered.addAndGet(-size)));
        } catch (RuntimeException e) {
            buffered.addAndGet(-size);
            LOG.debug("send on {} failed: {}", ctx.sessionId(), e.toString());
        }
    }

    /** Bytes handed to Jetty and not yet written to the network. */
    long buffered() {
        return buffered.get();
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
