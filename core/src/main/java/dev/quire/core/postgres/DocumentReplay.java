package dev.quire.core.postgres;

import dev.quire.core.QuireException;
import dev.quire.yjs.model.YDoc;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Rebuilds a document as it was at an offset or a time: the newest snapshot at or before that point,
 * then the history rows after it up to the point, applied to a fresh document.
 */
public final class DocumentReplay {
    /** A replayed document and the version it shows. */
    public record Version(YDoc doc, long offset, Instant timestamp, int updatesApplied, Long fromSnapshotOffset) {
    }

    /** The document or point asked for does not exist; the message says what to do. */
    public static final class NotFoundException extends QuireException {
        private static final long serialVersionUID = 1L;

        public NotFoundException(String message) {
            super(message);
        }
    }

    private final DocumentHistory history;

    public DocumentReplay(DocumentHistory history) {
        this.history = history;
    }

    /** The document after every update up to {@code offset} (inclusive); {@code Long.MAX_VALUE} for the latest. */
    public Version atOffset(String document, long offset) {
        return atOffset(document, offset, bytes -> { });
    }

    /**
     * {@link #atOffset(String, long)}, telling {@code sizeCheck} how many bytes of updates (snapshot and history rows)
     * make the version before any is applied: it throws to refuse a document too large to build here.
     */
    public Version atOffset(String document, long offset, LongConsumer sizeCheck) {
        HistoryEntry first = history.first(document)
                .orElseThrow(() -> new NotFoundException("unknown document '" + document + "': it has no history"));
        if (offset < first.offset()) {
            throw new NotFoundException("document '" + document + "' starts at offset " + first.offset() + " (partition "
                    + first.partition() + "); offset " + offset + " is before its first update");
        }
        Optional<Snapshot> snapshot = history.snapshotAtOrBefore(document, offset);
        long after = snapshot.map(Snapshot::upToOffset).orElse(-1L);
        List<HistoryEntry> rows = history.updates(document, after, offset);
        long bytes = snapshot.map(s -> (long) s.state().length).orElse(0L);
        for (HistoryEntry row : rows) {
            bytes += row.update().length;
        }
        sizeCheck.accept(bytes);
        YDoc doc = new YDoc(0, true);
        snapshot.ifPresent(s -> doc.applyUpdate(s.state()));
        for (HistoryEntry row : rows) {
            doc.applyUpdate(row.update());
        }
        HistoryEntry at = rows.isEmpty() ? history.updates(document, after - 1, after).stream().findFirst().orElse(first)
                : rows.get(rows.size() - 1);
        long shown = rows.isEmpty() ? after : at.offset();
        return new Version(doc, shown, at.timestamp(), rows.size(), snapshot.map(Snapshot::upToOffset).orElse(null));
    }

    /** The document as of {@code time}: after its last update whose Kafka timestamp is at or before it. */
    public Version atTime(String document, Instant time) {
        return atTime(document, time, bytes -> { });
    }

    /** {@link #atTime(String, Instant)} with a size check as in {@link #atOffset(String, long, LongConsumer)}. */
    public Version atTime(String document, Instant time, LongConsumer sizeCheck) {
        HistoryEntry first = history.first(document)
                .orElseThrow(() -> new NotFoundException("unknown document '" + document + "': it has no history"));
        HistoryEntry at = history.lastAtOrBefore(document, time)
                .orElseThrow(() -> new NotFoundException("document '" + document + "' did not exist at " + time
                        + ": its first update is at " + first.timestamp()));
        return atOffset(document, at.offset(), sizeCheck);
    }
}
