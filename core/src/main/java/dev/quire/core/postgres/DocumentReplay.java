package dev.quire.core.postgres;

import dev.quire.core.QuireException;
import dev.quire.yjs.model.YDoc;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
        HistoryEntry first = history.first(document)
                .orElseThrow(() -> new NotFoundException("unknown document '" + document + "': it has no history"));
        if (offset < first.offset()) {
            throw new NotFoundException("document '" + document + "' starts at offset " + first.offset() + " (partition "
                    + first.partition() + "); offset " + offset + " is before its first update");
        }
        Optional<Snapshot> snapshot = history.snapshotAtOrBefore(document, offset);
        YDoc doc = new YDoc(0, true);
        long after = -1;
        if (snapshot.isPresent()) {
            doc.applyUpdate(snapshot.get().state());
            after = snapshot.get().upToOffset();
        }
        List<HistoryEntry> rows = history.updates(document, after, offset);
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
        HistoryEntry first = history.first(document)
                .orElseThrow(() -> new NotFoundException("unknown document '" + document + "': it has no history"));
        HistoryEntry at = history.lastAtOrBefore(document, time)
                .orElseThrow(() -> new NotFoundException("document '" + document + "' did not exist at " + time
                        + ": its first update is at " + first.timestamp()));
        return atOffset(document, at.offset());
    }
}
