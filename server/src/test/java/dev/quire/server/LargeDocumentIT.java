package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.core.kafka.KafkaSettings;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 5, the failure behind y-redis/y-hub #55: a document of about 30 MB (3,060 paragraphs by 34 authors,
 * stored in Kafka) reaches a new real @hocuspocus/provider client, which syncs without a
 * disconnect, gets exactly the text written, and never receives a frame larger than the front's sync chunk.
 * The same holds for a rich-text document (Tiptap-shaped, marks by several clients), whose chunks must also not
 * make the client's yjs delete any mark (its cleanup of format items runs after each chunk).
 */
@Timeout(300)
class LargeDocumentIT {
    private static final int RECORDS = 34;
    private static final int PARAGRAPHS_PER_RECORD = 90;
    private static final int PARAGRAPH_CHARS = 10_000;
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void aThirtyMegabyteDocumentReachesANewClientInChunks() throws Exception {
        String document = "large-" + it.id;
        try (FrontServer front = it.start()) {
            String text = seed(document);
            assertThat(text.length()).isGreaterThan(30_000_000);

            JsonNode r;
            try (ScriptedNode node = ScriptedNode.start("large-doc.mjs", "ws://127.0.0.1:" + front.port(), document)) {
                r = node.await("result", 150_000);
            }
            System.out.printf("LARGE DOCUMENT: %d chars; synced %s ms after connecting (first frame at %s ms), %s frames, %s bytes, "
                    + "largest frame %s bytes; closes %s, disconnects %s%n", text.length(), r.path("syncedMs"), r.path("firstFrameMs"),
                    r.path("frames"), r.path("bytes"), r.path("largestFrame"), r.path("closes"), r.path("disconnects"));

            assertThat(r.path("synced").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("closes").size()).as("socket closes").isZero();
            assertThat(r.path("disconnects").asInt()).isZero();
            assertThat(r.path("textLength").asInt()).isEqualTo(text.length());
            assertThat(r.path("sha256").asText()).as("the client's text is the text written").isEqualTo(sha256(text));
            // chunk + the Hocuspocus framing around it (address, message type, sync type, length)
            assertThat(r.path("largestFrame").asInt()).isLessThanOrEqualTo(1024 * 1024 + document.length() + 16);
            assertThat(r.path("frames").asInt()).as("the state came in several frames").isGreaterThanOrEqualTo(30);
        }
    }

    @Test
    void aLargeRichTextDocumentReachesANewClientInChunksUnchanged() throws Exception {
        String document = "rich-" + it.id;
        try (FrontServer front = it.start()) {
            List<byte[]> updates = RichTextDocument.updates(24, 30, 16_000, 2, 400, 7);
            produce(document, updates);
            YDoc whole = new YDoc(1, true);
            updates.forEach(whole::applyUpdate);
            String xml = whole.getXmlFragment("default").toString();
            assertThat(xml.length()).isGreaterThan(11_000_000);

            JsonNode r;
            try (ScriptedNode node = ScriptedNode.start("large-doc.mjs", "ws://127.0.0.1:" + front.port(), document)) {
                r = node.await("result", 150_000);
            }
            System.out.printf("LARGE RICH-TEXT DOCUMENT: %d chars of XML; synced %s ms after connecting (first frame at %s ms), "
                    + "%s frames, %s bytes, largest frame %s bytes; local changes %s; closes %s, disconnects %s%n", xml.length(),
                    r.path("syncedMs"), r.path("firstFrameMs"), r.path("frames"), r.path("bytes"), r.path("largestFrame"),
                    r.path("localUpdates"), r.path("closes"), r.path("disconnects"));

            assertThat(r.path("synced").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.path("closes").size()).as("socket closes").isZero();
            assertThat(r.path("disconnects").asInt()).isZero();
            assertThat(r.path("xmlSha256").asText()).as("the client's XML is the XML written").isEqualTo(sha256(xml));
            assertThat(r.path("localUpdates").asInt()).as("marks the client's yjs deleted while the chunks came in").isZero();
            assertThat(r.path("largestFrame").asInt()).isLessThanOrEqualTo(1024 * 1024 + document.length() + 16);
            assertThat(r.path("frames").asInt()).as("the state came in several frames").isGreaterThanOrEqualTo(11);
        }
    }

    /**
     * Writes the document to the front's topic as ~900 KB updates of 34 authors (distinct client ids, so their
     * text cannot merge into one struct, as in a document written over time); returns its text.
     */
    private String seed(String document) throws Exception {
        List<byte[]> updates = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int r = 0; r < RECORDS; r++) {
            YDoc author = new YDoc(100 + r, true);
            author.onUpdate((u, tr) -> updates.add(u));
            YText content = author.getText("content");
            author.transact(tr -> {
                for (int p = 0; p < PARAGRAPHS_PER_RECORD; p++) {
                    StringBuilder sb = new StringBuilder(PARAGRAPH_CHARS);
                    for (int i = 0; i < PARAGRAPH_CHARS - 1; i++) {
                        sb.append((char) ('a' + random.nextInt(26)));
                    }
                    content.insert(content.length(), sb.append('\n').toString());
                }
            });
        }
        produce(document, updates);
        YDoc whole = new YDoc(1, true);
        updates.forEach(whole::applyUpdate);
        return whole.getText("content").toString();
    }

    private void produce(String document, List<byte[]> updates) throws Exception {
        Properties p = new KafkaSettings(it.toEnv()).clientProperties();
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (byte[] u : updates) {
                producer.send(new ProducerRecord<>(new KafkaSettings(it.toEnv()).topic(), UpdateRecords.keyOf(document), u)).get();
            }
        }
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
