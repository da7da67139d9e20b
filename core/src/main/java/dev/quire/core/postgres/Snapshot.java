package dev.quire.core.postgres;

import java.time.Instant;

/** A stored snapshot: the state of {@code document} after every update up to {@code upToOffset} (inclusive). */
public record Snapshot(String document, int partition, long upToOffset, byte[] state, byte[] stateVector, long updateCount,
                       Instant createdAt) {
}
