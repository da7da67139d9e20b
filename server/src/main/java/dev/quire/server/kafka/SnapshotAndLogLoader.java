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
 * written yet (up to the partition's current end). Only those: the partition is read from the persister's
 * position, not from the document's last row, which for a document untouched for a while (or a new one)
 * would mean reading most of the partition to find nothing.
 */
public final class SnapshotAndLogLoader implements DocumentLoader {
    private final DocumentHistory history;
    private final TailConsumer log;
    private final String topic;
    private final int partitions;

    public SnapshotAndLogLoader(DocumentHistory history, TailConsumer log, String topic, int partitions) {
        this.history = history;
        this.log = log;
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public List<byte[]> load(String document) {
        int partition = TailConsumer.partitionOf(document, partitions);
        long persisted = history.persistedEnd(topic, partition); // first: the rows below it are in place when it is
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
        out.addAll(log.readDocument(document, partition, Math.max(after + 1, persisted)));
        return out;
    }
}
