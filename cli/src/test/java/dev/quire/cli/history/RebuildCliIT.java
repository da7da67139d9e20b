package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.Quire;
import dev.quire.cli.QuireRunner;
import dev.quire.cli.QuireRunner.Result;
import dev.quire.cli.history.TestDatabase.Update;
import dev.quire.persister.Snapshots;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code quire rebuild} against a real PostgreSQL: repairs, creations, progress, failures. */
@Timeout(120)
class RebuildCliIT {
    private TestDatabase db;
    private List<Update> history;
    private List<Snapshots.State> chain;
    private List<Long> offsetsOfA;

    @BeforeEach
    void writeHistoryAndSnapshots() throws Exception {
        db = new TestDatabase();
        history = Edits.interleaved(30, 11);
        db.insert(history);
        offsetsOfA = history.stream().filter(u -> u.document().equals("notes/a")).map(Update::offset).toList();
        chain = db.insertSnapshots(history, "notes/a", offsetsOfA.get(9), offsetsOfA.get(19), offsetsOfA.get(29));
        List<Long> offsetsOfB = history.stream().filter(u -> u.document().equals("b")).map(Update::offset).toList();
        db.insertSnapshots(history, "b", offsetsOfB.get(14));
        // "multi" has history but no snapshot
    }

    @AfterEach
    void dropSchema() throws Exception {
        db.close();
    }

    @Test
    void repairsACorruptedSnapshotAndCreatesTheMissingOne() throws Exception {
        long victim = offsetsOfA.get(19);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE document_snapshots SET state_v1 = ? WHERE document = 'notes/a' AND up_to_offset = ?")) {
            ps.setBytes(1, new byte[] {0, 0});
            ps.setLong(2, victim);
            ps.executeUpdate();
        }
        long lastOfMulti = history.stream().filter(u -> u.document().equals("multi")).mapToLong(Update::offset).max().orElseThrow();

        Result r = QuireRunner.runWithEnv(db.env(), "rebuild");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.out()).isEqualTo("rebuilt 3 documents: 5 snapshots recomputed, 1 differed from the stored ones and were replaced, "
                + "1 created for documents that had none, 0 failed\n"
                + "replaced: notes/a at offset " + victim + "\n"
                + "created: multi at offset " + lastOfMulti + "\n");
        assertThat(r.stderr()).isEqualTo("rebuild: 3 documents to rebuild\nrebuild: 3/3 documents done\n");
        assertThat(state("notes/a", victim)).isEqualTo(chain.get(1).state());
        assertThat(state("multi", lastOfMulti)).isEqualTo(
                Snapshots.compute(null, history.stream().filter(u -> u.document().equals("multi")).map(Update::bytes).toList()).state());

        Result again = QuireRunner.runWithEnv(db.env(), "rebuild", "--doc", "notes/a");
        assertThat(again.out()).startsWith("rebuilt 1 document: 3 snapshots recomputed, 0 differed");
    }

    @Test
    void onATerminalDrawsAProgressBarInPlace() {
        Result r = QuireRunner.run(new byte[0], db.env(), true, "rebuild");

        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).startsWith("\r[..............................] 0/3 (0%)")
                .contains("\r[##############################] 3/3 (100%) notes/a").endsWith("\n");
    }

    @Test
    void aDocumentThatCannotBeRebuiltIsNamedAndTheExitCodeIs1() throws Exception {
        try (Connection c = db.connect()) {
            c.createStatement().executeUpdate("DELETE FROM document_updates WHERE document = 'b'");
        }

        Result r = QuireRunner.runWithEnv(db.env(), "rebuild");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_IO);
        assertThat(r.out()).contains("rebuilt 3 documents", "1 failed");
        assertThat(r.stderr()).contains("quire rebuild: b failed: the history of 'b' has no update at offset");
    }

    @Test
    void anUnknownDocumentExitsWith2() {
        Result r = QuireRunner.runWithEnv(db.env(), "rebuild", "--doc", "nope");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).isEqualTo("quire rebuild: unknown document 'nope': it has no history and no snapshot\n");
    }

    private byte[] state(String document, long offset) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state_v1 FROM document_snapshots WHERE document = ? AND up_to_offset = ?")) {
            ps.setString(1, document);
            ps.setLong(2, offset);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }
}
