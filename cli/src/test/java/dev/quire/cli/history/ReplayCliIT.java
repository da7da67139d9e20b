package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.cli.Quire;
import dev.quire.cli.QuireRunner;
import dev.quire.cli.QuireRunner.Result;
import dev.quire.cli.history.TestDatabase.Update;
import dev.quire.core.config.Env;
import dev.quire.yjs.model.YDoc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code quire replay} against a real PostgreSQL holding history rows and snapshots of edited documents. */
@Timeout(120)
class ReplayCliIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static List<Update> history;

    @BeforeAll
    static void writeHistory() throws Exception {
        db = new TestDatabase();
        history = Edits.interleaved(40, 7);
        db.insert(history);
        // snapshots of notes/a after its 10th and 25th update: replay starts from them
        List<Long> offsetsOfA = offsets("notes/a");
        db.insertSnapshots(history, "notes/a", offsetsOfA.get(9), offsetsOfA.get(24));
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static List<Long> offsets(String document) {
        return history.stream().filter(u -> u.document().equals(document)).map(Update::offset).toList();
    }

    private static Result replay(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        return QuireRunner.runWithEnv(db.env(), all);
    }

    private static String expectedText(String document, long offset) {
        return TestDatabase.applied(history, document, offset).getText("content").toString();
    }

    @Test
    void textAtAnOffsetIsTheTextOfTheUpdatesUpToIt() {
        List<Long> offsetsOfA = offsets("notes/a");
        long last = history.get(history.size() - 1).offset();
        // before, at and after each snapshot, between two of its updates (another document's offset), and past the end
        long[] points = {offsetsOfA.get(0), offsetsOfA.get(3) + 1, offsetsOfA.get(9), offsetsOfA.get(9) + 1, offsetsOfA.get(17),
            offsetsOfA.get(24), offsetsOfA.get(30) + 2, last + 100};
        for (long offset : points) {
            Result r = replay("--doc", "notes/a", "--offset", Long.toString(offset));

            assertThat(r.exitCode()).as("offset %d: %s", offset, r.stderr()).isZero();
            assertThat(r.out()).as("text at offset %d", offset).isEqualTo(expectedText("notes/a", offset) + "\n");
        }
    }

    @Test
    void withoutAPointTheLatestVersionIsShown() {
        Result r = replay("--doc", "b");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo(expectedText("b", Long.MAX_VALUE) + "\n");
    }

    @Test
    void textNamesEachRootWhenThereAreSeveralAndPointsMapsToJson() {
        Result r = replay("--doc", "multi");
        YDoc expected = TestDatabase.applied(history, "multi", Long.MAX_VALUE);

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("==> title (text) <==\n" + expected.getText("title") + "\n")
                .contains("==> body (text) <==\n" + expected.getText("body") + "\n");

        Result withMap = replay("--doc", "notes/a");
        assertThat(withMap.stderr()).contains("not shown as text: meta (map); use --format json");
    }

    @Test
    void atATimeShowsTheLastUpdateAtOrBeforeIt() {
        long offset = offsets("notes/a").get(12);
        String at = Edits.T0.plus(Duration.ofSeconds(offset)).plusMillis(500).toString(); // between it and the next update

        Result r = replay("--doc", "notes/a", "--at", at, "--format", "json");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode json = parse(r);
        assertThat(json.get("document").asText()).isEqualTo("notes/a");
        assertThat(json.get("offset").asLong()).isEqualTo(offset);
        assertThat(json.get("timestamp").asText()).isEqualTo(Edits.T0.plus(Duration.ofSeconds(offset)).toString());
        assertThat(json.get("roots").get("content").asText()).isEqualTo(expectedText("notes/a", offset));
    }

    @Test
    void jsonHasEveryRoot() {
        long offset = offsets("notes/a").get(30);

        Result r = replay("--doc", "notes/a", "--offset", Long.toString(offset), "--format", "json");

        JsonNode roots = parse(r).get("roots");
        YDoc expected = TestDatabase.applied(history, "notes/a", offset);
        assertThat(roots.get("content").asText()).isEqualTo(expected.getText("content").toString());
        assertThat(roots.get("meta").isObject()).isTrue();
        assertThat(roots.get("meta").get("round").asDouble()).isEqualTo((Double) expected.getMap("meta").get("round"));
    }

    @Test
    void yjsIsTheBinaryStateOfTheDocument(@TempDir Path dir) throws Exception {
        long offset = offsets("notes/a").get(20);
        YDoc expected = TestDatabase.applied(history, "notes/a", offset);

        Result raw = replay("--doc", "notes/a", "--offset", Long.toString(offset), "--format", "yjs");
        Path file = dir.resolve("a.bin");
        Result toFile = replay("--doc", "notes/a", "--offset", Long.toString(offset), "--format", "yjs", "-o", file.toString());
        Result base64 = replay("--doc", "notes/a", "--offset", Long.toString(offset), "--format", "yjs", "--base64");

        assertThat(raw.exitCode()).isZero();
        assertThat(toFile.exitCode()).isZero();
        assertThat(toFile.stdout()).isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(raw.stdout());
        assertThat(Base64.getDecoder().decode(base64.out().strip())).isEqualTo(raw.stdout());
        YDoc decoded = new YDoc(0, true);
        decoded.applyUpdate(raw.stdout());
        assertThat(decoded.getText("content").toString()).isEqualTo(expected.getText("content").toString());
        assertThat(decoded.getText("content").toDelta()).isEqualTo(expected.getText("content").toDelta());
        assertThat(decoded.getMap("meta").toJSON()).isEqualTo(expected.getMap("meta").toJSON());
        assertThat(decoded.encodeStateVector()).isEqualTo(expected.encodeStateVector());
        assertThat(raw.stdout()).isEqualTo(expected.encodeStateAsUpdate(null));
    }

    @Test
    void aTimeBeforeTheFirstUpdateExitsWith2AndSaysWhenItStarts() {
        Result r = replay("--doc", "notes/a", "--at", Edits.T0.minus(Duration.ofHours(1)).toString());

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).isEqualTo("quire replay: document 'notes/a' did not exist at 2026-11-26T09:00:00Z: "
                + "its first update is at " + Edits.T0 + "\n");
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void anOffsetBeforeTheFirstUpdateExitsWith2() {
        long first = offsets("b").get(0);

        Result r = replay("--doc", "b", "--offset", Long.toString(first - 1));

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("document 'b' starts at offset " + first).contains("is before its first update");
    }

    @Test
    void anUnknownDocumentExitsWith2() {
        Result r = replay("--doc", "nope", "--format", "json");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).isEqualTo("quire replay: unknown document 'nope': it has no history\n");
    }

    @Test
    void anUnreachableDatabaseIsNamedInOneLine() {
        Env nowhere = new Env(Map.of("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/quire_test"));

        Result r = QuireRunner.runWithEnv(nowhere, "replay", "--doc", "notes/a");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).startsWith("quire replay: cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/quire_test")
                .contains("QUIRE_DATABASE_URL").doesNotContain("\tat ");
        assertThat(r.stderr().strip()).doesNotContain("\n");
    }

    private static JsonNode parse(Result r) {
        try {
            return JSON.readTree(r.out().getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + r.out() + r.stderr(), e);
        }
    }
}
