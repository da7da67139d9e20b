package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.Quire;
import dev.quire.cli.QuireRunner;
import dev.quire.cli.QuireRunner.Result;
import dev.quire.core.config.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument checks of replay and history, made before any database is opened (the URL below is never reached). */
class ReplayCommandTest {
    private static final Env NOWHERE = new Env(Map.of("QUIRE_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/none"));

    @Test
    void offsetAndAtExcludeEachOther() {
        Result r = QuireRunner.runWithEnv(NOWHERE, "replay", "--doc", "d", "--offset", "3", "--at", "2026-11-26T10:00:00Z");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("mutually exclusive");
    }

    @Test
    void base64IsForTheYjsFormatOnly() {
        Result r = QuireRunner.runWithEnv(NOWHERE, "replay", "--doc", "d", "--format", "json", "--base64");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("--base64 applies to --format yjs only");
    }

    @Test
    void aTimeThatIsNotOneIsAUsageError() {
        Result r = QuireRunner.runWithEnv(NOWHERE, "replay", "--doc", "d", "--at", "noon");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("'noon' is not a time");
    }

    @Test
    void theDocumentIsRequired() {
        Result r = QuireRunner.runWithEnv(NOWHERE, "replay");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("Missing required option: '--doc=NAME'");
    }

    @Test
    void historyLimitsPages() {
        Result r = QuireRunner.runWithEnv(NOWHERE, "history", "--doc", "d", "--limit", "0");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("--limit must be from 1 to 10000");
    }

    @Test
    void formatsArePrintedInLowerCase() {
        Result r = QuireRunner.run("replay", "--help");

        assertThat(r.out()).contains("text (the text and XML roots), json", "yjs");
    }

    @Test
    void shellQuotingKeepsPlainNamesAndQuotesTheRest() {
        assertThat(HistoryCommand.shellQuote("notes/a-1.md")).isEqualTo("notes/a-1.md");
        assertThat(HistoryCommand.shellQuote("it's mine")).isEqualTo("'it'\\''s mine'");
    }
}
