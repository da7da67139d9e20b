package dev.quire.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.AwarenessUpdate.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The awareness bookkeeping of one document: other fronts' clients expire, this front's do not. */
class HubDocumentAwarenessTest {
    /** A connection that records what it is sent. */
    static final class Peer implements DocumentPeer {
        final List<byte[]> awareness = new ArrayList<>();

        @Override public String id() { return "p"; }
        @Override public boolean readOnly() { return false; }
        @Override public void sendSyncStep1(byte[] stateVector) { }
        @Override public void sendSyncStep2(byte[] update) { }
        @Override public void sendUpdate(byte[] update) { }
        @Override public void sendAwareness(byte[] update) { awareness.add(update); }
        @Override public void sendSyncStatus(boolean applied) { }
        @Override public void closeDocument(String reason) { }
        @Override public void reset(String reason) { }
    }

    private final HubDocument doc = new HubDocument("d", new SerialExecutor(Runnable::run), new AtomicLong());

    private static AwarenessUpdate update(long client, long clock, String state) {
        return new AwarenessUpdate(List.of(new Entry(client, clock, state)));
    }

    @Test
    void remoteClientsNotRenewedSinceTheCutoffAreRemovedWithANewerClock() {
        Peer local = new Peer();
        doc.peers.add(local);
        doc.acceptAwareness(local, update(1, 4, "{\"user\":\"here\"}"));
        doc.acceptAwareness(null, update(2, 7, "{\"user\":\"there\"}"));
        long afterFirst = System.nanoTime();
        doc.acceptAwareness(null, update(3, 1, "{\"user\":\"renewed\"}"));

        assertThat(doc.expireRemote(afterFirst - 1_000_000_000L)).as("nothing is older than a second ago").isNull();
        byte[] removal = doc.expireRemote(afterFirst);
        assertThat(removal).isNotNull();
        assertThat(AwarenessUpdate.decode(removal).entries()).containsExactly(new Entry(2, 8, "null"));
        assertThat(doc.awareness).containsOnlyKeys(1L, 3L);
        assertThat(doc.expireRemote(afterFirst)).as("removed once").isNull();
    }

    @Test
    void aRenewalOrARemovalFromAnotherFrontResetsOrEndsTheClock() throws Exception {
        doc.acceptAwareness(null, update(2, 7, "{\"user\":\"there\"}"));
        long before = System.nanoTime();
        doc.acceptAwareness(null, update(2, 7, "{\"user\":\"there\"}")); // renewal: same clock
        assertThat(doc.expireRemote(before)).as("renewed after the cutoff").isNull();

        doc.acceptAwareness(null, update(2, 8, "null"));
        assertThat(doc.awareness).isEmpty();
        assertThat(doc.expireRemote(System.nanoTime() + 1)).as("already removed by its front").isNull();
    }

    @Test
    void thisFrontsClientsNeverExpireHere() {
        Peer local = new Peer();
        doc.peers.add(local);
        doc.acceptAwareness(local, update(1, 4, "{\"user\":\"here\"}"));
        assertThat(doc.expireRemote(System.nanoTime() + 1)).isNull();
        assertThat(doc.awareness).containsOnlyKeys(1L);
    }
}
