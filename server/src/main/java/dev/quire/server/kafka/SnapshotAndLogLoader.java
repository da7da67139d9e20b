package dev.quire.server.kafka;

import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.core.postgres.HistoryEntry;
import dev.quire.core.postgres.Snapshot;
import dev.quire.server.hub.DocumentLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads a document as the architecture says: the newest snapshot from PostgreSQL, the history rows the
 * persister wrote after it, then the Kafka records of the document's partition the persister has not
 * written yet (up to the partition's current end).
 */
public final class SnapshotAndLogLoader implements DocumentLoader {
    private final DocumentHistory history;
    private final TailConsumer log;
    private final int partitions;

    public SnapshotAndLogLoader(DocumentHistory history, TailConsumer log, int partitions) {
        this.history = history;
        this.log = log;
        this.partitions = partitions;
    }

    @Override
    public List<byte[]> load(String document) {
        List<byte[]> out = new ArrayList<>();
        Optional<Snapshot> snapshot = history.snapshotAtOrBefore(document, Long.MAX_VALUE);
        long after = -1;
        if (snapshot.isPresent()) {
            out.add(snapshot.get().state());
            after = snapshot.get().upToOffset();
        }
        for (HistoryEntry e : history.updates(document, after, Long.MAX_VALUE)) {
            out.add(e.update());
            after = e.offset();
        }
        out.addAll(log.readDocument(document, TailConsumer.partitionOf(document, partitions), after + 1));
        return out;
    }
}
