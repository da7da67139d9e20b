package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.persister.Persister;
import dev.quire.server.kafka.TailConsumer;
import dev.quire.yjs.model.YDoc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loading a document reads from Kafka only what the persister has not written to PostgreSQL: a document edited, then
 * left while 3,000 records of other documents went to its partition (all persisted by the real persister), costs
 * the front one record to read when it loads it after one more change, and the document is complete. (Reading from
 * the document's own last row, as the front did before, read all 3,000.)
 */
@Timeout(180)
class DocumentLoadIT {
    private static final int OTHER_RECORDS = 3_000;
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void aFrontReadsOnlyTheTailThePersisterHasNotWritten() throws Exception {
        String document = "load-" + it.id;
        int partitions = Integer.parseInt(it.env.get("QUIRE_KAFKA_PARTITIONS"));
        int partition = TailConsumer.partitionOf(document, partitions);
        YDoc author = new YDoc(7, true);
        List<byte[]> changes = new ArrayList<>();
        author.onUpdate((u, tr) -> changes.add(u));
        try (FrontServer front = it.start(); // creates the schema and the topic
             KafkaProducer<byte[], byte[]> producer = producer()) {
            author.getText("t").insert(0, "persisted ");
            send(producer, document, changes.get(0));
            author.getText("t").insert(10, "too ");
            send(producer, document, changes.get(1));
            long persistedUpTo = 0;
            int others = 0;
            for (int i = 0; others < OTHER_RECORDS; i++) {
                String other = "other-" + i;
                if (TailConsumer.partitionOf(other, partitions) == partition) {
                    YDoc o = new YDoc(100 + i, true);
                    o.getText("t").insert(0, "x");
                    persistedUpTo = send(producer, other, o.encodeStateAsUpdate(null)).offset() + 1;
                    others++;
                }
            }

            try (Persister persister = Persister.start(it.with("QUIRE_PERSISTER_HTTP_PORT", "0").toEnv())) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (persistedEnd(partition) < persistedUpTo) {
                    assertThat(System.nanoTime()).as("the persister reached offset %d", persistedUpTo).isLessThan(deadline);
                    Thread.sleep(100);
                }
            }
            author.getText("t").insert(14, "and from the log");
            send(producer, document, changes.get(2));

            double before = ItEnv.metric(front, "quire_load_log_records_total");
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + front.port() + "/api/documents/" + document + "?format=yjs")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            double read = ItEnv.metric(front, "quire_load_log_records_total") - before;
            System.out.printf("DOCUMENT LOAD: %d records of other documents persisted in the partition; %.0f read from Kafka to load%n",
                    OTHER_RECORDS, read);

            assertThat(r.statusCode()).isEqualTo(200);
            YDoc loaded = new YDoc(8, true);
            loaded.applyUpdate(r.body());
            assertThat(loaded.getText("t").toString()).isEqualTo("persisted too and from the log");
            assertThat(read).as("records read from the log (the one change the persister has not written)").isBetween(1.0, 10.0);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = new KafkaSettings(it.toEnv()).clientProperties();
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String document, byte[] update) throws Exception {
        return producer.send(new ProducerRecord<>(it.env.get("QUIRE_KAFKA_TOPIC"), UpdateRecords.keyOf(document), update)).get();
    }

    private long persistedEnd(int partition) throws Exception {
        try (Connection c = DriverManager.getConnection(it.env.get("QUIRE_DATABASE_URL"), it.env.get("QUIRE_DATABASE_USER"),
                it.env.get("QUIRE_DATABASE_PASSWORD"));
             ResultSet rs = c.createStatement().executeQuery("SELECT coalesce(max(next_offset), 0) FROM "
                     + it.env.get("QUIRE_DATABASE_SCHEMA") + ".consumer_offsets WHERE topic_partition = " + partition)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
