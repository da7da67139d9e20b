package dev.quire.cli;

import static dev.quire.cli.QuireRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.QuireRunner.Result;
import org.junit.jupiter.api.Test;

class QuireTest {

    @Test
    void helpListsTheYjsSubcommands() {
        Result r = run("yjs", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: quire yjs", "decode", "merge", "diff", "state-vector", "convert");
    }

    @Test
    void helpListsTheOperatorCommands() {
        Result r = run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("yjs", "persister", "replay", "history", "rebuild");
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Result r = run("--version");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).matches("quire \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void yjsWithoutSubcommandIsAUsageError() {
        Result r = run("yjs");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("Missing required subcommand", "Usage: quire yjs");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Result r = run("yjs", "decode", "--frobnicate");

        assertThat(r.exitCode()).isEqualTo(Quire.EXIT_INPUT);
        assertThat(r.stderr()).contains("Unknown option: '--frobnicate'");
    }
}
