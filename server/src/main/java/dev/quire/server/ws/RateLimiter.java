package dev.quire.server.ws;

/**
 * A token bucket for one socket's frames: {@code perSecond} tokens a second, holding at most
 * {@link #burstFor(int)} (a provider opening many documents at once sends Auth, SyncStep1 and awareness for each).
 * Not thread-safe: used under the session's lock.
 */
final class RateLimiter {
    private final int perSecond;
    private final double capacity;
    private double tokens;
    private long last = System.nanoTime();

    RateLimiter(int perSecond) {
        this.perSecond = perSecond;
        this.capacity = burstFor(perSecond);
        this.tokens = capacity;
    }

    /**
     * The burst allowed: a second's worth, and at least the 1,000 frames a socket may queue before
     * authentication, so that a pre-auth flood meets the documented 4205 and a provider reconnecting with many
     * documents and queued edits is not cut off; the sustained rate is what 4429 enforces.
     */
    static int burstFor(int perSecond) {
        return Math.max(HocuspocusSession.MAX_QUEUED_MESSAGES, perSecond);
    }

    boolean tryAcquire(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perSecond / 1e9);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    int perSecond() {
        return perSecond;
    }
}
