package dev.quire.core.postgres;

import java.time.Instant;

/** One version of a document: a history row ({@code update} is null when only metadata was read). */
public record HistoryEntry(int partition, long offset, String document, Instant timestamp, String origin, int size, byte[] update) {
}
