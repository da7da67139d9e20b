package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.cli.Quire;
import dev.quire.cli.QuireRunner;
import dev.quire.cli.QuireRunner.Result;
import dev.quire.cli.history.TestDatabase.Update;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code quire history} against a real PostgreSQL: versions, paging and errors. */
@Timeout(120)
class HistoryCliIT {
    private static final Pattern NEXT = Pattern.compile("next page: quire history --doc (\\S+) --after (\\d+) --limit (\\d+)\n$");
    private static TestDatabase db;
    private static List<Update> history;

    @BeforeAll
    static void writeHistory() throws Exception {
        db = new TestDatabase();
        history = Edits.interleaved(12, 3);
        db.insert(history);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    private static List<Update> of(String document) {
        return history.stream().filter(u -> u.document().equals(document)).toList();
    }

    @Test
    void pagesThroughEveryVersionFollowingTheNextPageHint() {
        List<Update> expected = of("notes/a");
        List<String> rows = new ArrayList<>();
        String[] args = {"history", "--doc", "notes/a", "--limit", "5"};
        int pages = 0;
        while (args != null) {
            Result r = QuireRunner.runWithEnv(db.env(), args);
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            pages++;
            List<String> lines = List.of(r.out().split("\n"));
            assertThat(lines.get(0)).matches("PARTITION +OFFSET +TIME +ORIGIN +SIZE");
            Matcher next = NEXT.matcher(r.out());
            if (next.find()) {
                rows.addAll(lines.subList(1, lines.size() - 1));
                assertThat(lines.size() - 2).isEqualTo(5);
                args = new String[] {"history", "--doc", next.group(1), "--after", next.group(2), "--limit", next.group(3)};
            } else {
                assertThat(lines.get(lines.size() - 1)).isEqualTo("(end of history)");
                rows.addAll(lines.subList(1, lines.size() - 1));
                args = null;
            }
        }
        assertThat(pages).isEqualTo((expected.size() + 4) / 5);
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            Update u = expected.get(i);
            assertThat(rows.get(i).trim().split(" +")).containsExactly(Integer.toString(u.partition()), Long.toString(u.offset()),
                    u.timestamp().toString(), u.origin() == null ? "-" : u.origin(), Integer.toString(u.bytes().length));
        }
    }

    @Test
    void jsonGivesTheVersionsAndWhereTheNextPageStarts() throws Exception {
        List<Update> expected = of("b");

        Result first = QuireRunner.runWithEnv(db.env(), "history", "--doc", "b", "--limit", "4", "--json");
        JsonNode page = new ObjectMapper().readTree(first.out());

        assertThat(first.exitCode()).isZero();
        assertThat(page.get("document").asText()).isEqualTo("b");
        assertThat(page.get("versions")).hasSize(4);
        JsonNode v = page.get("versions").get(0);
        assertThat(v.get("partition").asInt()).isZero();
        assertThat(v.get("offset").asLong()).isEqualTo(expected.get(0).offset());
        assertThat(v.get("timestamp").asText()).isEqualTo(expected.get(0).timestamp().toString());
        assertThat(v.get("size").asInt()).isEqualTo(expected.get(0).bytes().length);
        assertThat(page.get("nextAfter").asLong()).isEqualTo(expected.get(3).offset());

        Result last = QuireRunner.runWithEnv(db.env(), "history", "--doc", "b", "--after", Long.toString(expected.get(3).offset()),
                "--limit", "1000", "--json");
        JsonNode rest = new ObjectMapper().readTree(last.out());
        assertThat(rest.get("versions")).hasSize(expected.size() - 4);
        assertThat(rest.get("nextAfter").isNull()).isTrue();
    }

    @Test
    void afterTheLastVersionThePageIsEmpty() {
        long last = of("b").get(of("b").size() - 1).offset();

        Result r = QuireRunner.runWithEnv(db.env(), "history", "--doc", "b", "--after", Long.toString(last));

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("no versions of b after offset " + last + "\n");
    }

    @Test
    void anUnknownDocumentExitsWith2() {
        Result r = QuireRunner.runWithEnv(db.env(), "history", "--doc", "nope");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).isEqualTo("quire history: unknown document 'nope': it has no history\n");
    }
}
