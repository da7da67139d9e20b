package dev.quire.server.ws;

import dev.quire.server.ServerSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one socket, and all sockets together before they authenticate, may cost the front. Before an Auth nobody is
 * known, so nothing a socket does then may be paid for without a bound: frames queued before their document's Auth
 * count against one budget for the whole front, unauthenticated sockets against a cap per IP address, and a socket that
 * authenticates nothing within {@link #authTimeout} is closed even if it keeps sending (a Pong would otherwise keep it).
 * Thread-safe: shared by every socket of an endpoint.
 */
final class SocketLimits {
    /** Largest frame a socket may send before it has authenticated any document (an Auth is a few hundred bytes). */
    static final int PRE_AUTH_MAX_FRAME_BYTES = 128 * 1024;

    final int maxDocuments;
    final int maxMessagesPerSecond;
    final Duration authTimeout;
    final int maxSocketBufferBytes;
    private final long maxPreAuthBytes;
    private final int maxUnauthenticatedPerAddress;
    private final AtomicLong preAuthBytes = new AtomicLong();
    private final ConcurrentHashMap<InetAddress, Integer> unauthenticated = new ConcurrentHashMap<>();

    SocketLimits(int maxDocuments, int maxMessagesPerSecond, Duration authTimeout, long maxPreAuthBytes,
                 int maxUnauthenticatedPerAddress, int maxSocketBufferBytes) {
        this.maxDocuments = maxDocuments;
        this.maxMessagesPerSecond = maxMessagesPerSecond;
        this.authTimeout = authTimeout;
        this.maxPreAuthBytes = maxPreAuthBytes;
        this.maxUnauthenticatedPerAddress = maxUnauthenticatedPerAddress;
        this.maxSocketBufferBytes = maxSocketBufferBytes;
    }

    static SocketLimits of(ServerSettings s) {
        return new SocketLimits(s.maxDocumentsPerSocket(), s.maxMessagesPerSecond(), s.authTimeout(), s.maxPreAuthBytes(),
                s.maxUnauthenticatedSocketsPerAddress(), s.maxSocketBufferBytes());
    }

    /** Takes {@code bytes} of the front's budget for frames waiting for their Auth; false when it is spent. */
    boolean tryQueue(long bytes) {
        long now = preAuthBytes.addAndGet(bytes);
        if (now > maxPreAuthBytes) {
            preAuthBytes.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void unqueue(long bytes) {
        preAuthBytes.addAndGet(-bytes);
    }

    long preAuthBytes() {
        return preAuthBytes.get();
    }

    /** Counts a new unauthenticated socket from {@code remote}; false (nothing counted) when its address has too many. */
    boolean admit(SocketAddress remote) {
        InetAddress a = addressOf(remote);
        if (a == null || maxUnauthenticatedPerAddress == 0) {
            return true;
        }
        boolean[] admitted = {false};
        unauthenticated.compute(a, (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxUnauthenticatedPerAddress) {
                return n;
            }
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0];
    }

    /** The socket admitted from {@code remote} authenticated its first document, or closed before it did. */
    void leave(SocketAddress remote) {
        InetAddress a = addressOf(remote);
        if (a == null || maxUnauthenticatedPerAddress == 0) {
            return;
        }
        unauthenticated.computeIfPresent(a, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress i ? i.getAddress() : null;
    }
}
