package dev.quire.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.RichTextDocument;
import dev.quire.yjs.Updates;
import dev.quire.yjs.model.YDoc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a joining client is sent of a large rich-text document (about 2.3 MB, marks by several clients), with the
 * preparation of the state run by hand: the document's thread never does it, clients joining meanwhile share it,
 * they get no broadcast and no acknowledgement while waiting and still end with every change.
 */
class StateSenderTest {
    private static final byte[] EMPTY_STATE_VECTOR = {0};

    /** A connection that records the sync messages it is sent, in order. */
    static final class Peer implements DocumentPeer {
        final List<String> kinds = new ArrayList<>();
        final List<byte[]> updates = new ArrayList<>();

        @Override public String id() { return "p"; }
        @Override public boolean readOnly() { return false; }
        @Override public void sendSyncStep1(byte[] stateVector) { }
        @Override public void sendSyncStep2(byte[] update) { kinds.add("step2"); updates.add(update); }
        @Override public void sendUpdate(byte[] update) { kinds.add("update"); updates.add(update); }
        @Override public void sendAwareness(byte[] update) { }
        @Override public void sendSyncStatus(boolean applied) { kinds.add("status"); }
        @Override public void closeDocument(String reason) { }
        @Override public void reset(String reason) { }

        YDoc document() {
            YDoc doc = new YDoc(5, true);
            updates.forEach(doc::applyUpdate);
            return doc;
        }
    }

    private final List<Runnable> preparations = new ArrayList<>();
    private final StateSender sender = new StateSender(preparations::add);
    private final HubDocument d = new HubDocument("rich", new SerialExecutor(Runnable::run), new AtomicLong());
    private final List<byte[]> written = RichTextDocument.updates(4, 8, 64_000, 2, 150, 11);

    @BeforeEach
    void loadDocument() {
        written.forEach(d::apply);
        d.loaded = true;
        assertThat(d.doc.encodeStateAsUpdate(null).length).isGreaterThan(2 * StateSender.SYNC_CHUNK_BYTES);
    }

    private Peer join(byte[] stateVector) {
        Peer p = new Peer();
        d.executor.execute(() -> {
            d.peers.add(p);
            sender.send(d, p, stateVector, d.doc.encodeStateAsUpdate(stateVector));
        });
        return p;
    }

    @Test
    void clientsWithAnEmptyDocumentShareOneCheckedCutMadeOffTheDocumentsThread() {
        Peer a = join(EMPTY_STATE_VECTOR);
        Peer b = join(EMPTY_STATE_VECTOR);
        assertThat(a.kinds).isEmpty();
        assertThat(preparations).as("one preparation for both").hasSize(1);

        preparations.get(0).run();

        for (Peer p : List.of(a, b)) {
            assertThat(p.kinds.size()).as("frames").isGreaterThanOrEqualTo(3);
            assertThat(p.kinds.subList(0, p.kinds.size() - 1)).containsOnly("update");
            assertThat(p.kinds.get(p.kinds.size() - 1)).isEqualTo("step2");
            assertThat(p.updates).allSatisfy(u -> assertThat(u.length).isLessThanOrEqualTo(StateSender.SYNC_CHUNK_BYTES));
            assertThat(p.document().sameStateAs(d.doc)).isTrue();
            assertThat(p.document().getXmlFragment("default").toString()).isEqualTo(d.doc.getXmlFragment("default").toString());
        }
        Peer late = join(EMPTY_STATE_VECTOR);
        assertThat(preparations).as("the unchanged document's cut is reused").hasSize(1);
        assertThat(late.updates).usingElementComparator(java.util.Arrays::compare).isEqualTo(a.updates);
    }

    @Test
    void changesMadeDuringThePreparationFollowTheState() {
        Peer a = join(EMPTY_STATE_VECTOR);
        YDoc writer = new YDoc(77, true);
        writer.getText("note").insert(0, "written while the state was prepared");
        byte[] change = writer.encodeStateAsUpdate(null);
        d.executor.execute(() -> {
            assertThat(d.apply(change)).isTrue();
            d.broadcastUpdate(change);
            d.sendSyncStatus(a, true); // as if the change were a's own, acknowledged
        });
        assertThat(a.kinds).as("no broadcast and no acknowledgement before the state").isEmpty();
        Peer b = join(EMPTY_STATE_VECTOR);
        assertThat(preparations).as("b shares the running preparation, though the document changed").hasSize(1);

        preparations.get(0).run();

        assertThat(b.document().sameStateAs(d.doc)).isTrue();
        assertThat(b.document().getText("note").toString()).isEqualTo("written while the state was prepared");

        assertThat(a.kinds.subList(0, a.kinds.size() - 2)).hasSizeGreaterThanOrEqualTo(2).containsOnly("update");
        assertThat(a.kinds.subList(a.kinds.size() - 2, a.kinds.size())).containsExactly("step2", "status");
        YDoc received = a.document();
        assertThat(received.getText("note").toString()).isEqualTo("written while the state was prepared");
        assertThat(received.sameStateAs(d.doc)).isTrue();
        assertThat(d.prepared).as("the out-of-date cut is not kept").isNull();

        d.executor.execute(() -> {
            byte[] next = Updates.mergeUpdates(List.of(change)); // known content: broadcasts reach a again
            d.broadcastUpdate(next);
        });
        assertThat(a.kinds.get(a.kinds.size() - 1)).isEqualTo("update");
    }

    @Test
    void aClientThatLeftMeanwhileGetsNothing() {
        Peer a = join(EMPTY_STATE_VECTOR);
        d.executor.execute(() -> d.remove(a));
        preparations.get(0).run();
        assertThat(a.kinds).isEmpty();
    }

    @Test
    void aClientHoldingPartOfTheDocumentGetsRichTextWholeAtOnce() {
        YDoc part = new YDoc(6, true);
        part.applyUpdate(written.get(0)); // one author's paragraphs
        Peer p = join(part.encodeStateVector());
        assertThat(preparations).isEmpty();
        assertThat(p.kinds).containsExactly("step2");
        YDoc received = p.document();
        received.applyUpdate(part.encodeStateAsUpdate(null));
        assertThat(received.sameStateAs(d.doc)).isTrue();
    }
}
