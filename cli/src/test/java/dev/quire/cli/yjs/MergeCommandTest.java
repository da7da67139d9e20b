package dev.quire.cli.yjs;

import static dev.quire.cli.QuireRunner.run;
import static dev.quire.cli.QuireRunner.runWithStdin;
import static dev.quire.cli.yjs.Fixtures.APPEND_C;
import static dev.quire.cli.yjs.Fixtures.CLIENT_2_INSERTS_Z;
import static dev.quire.cli.yjs.Fixtures.INSERT_AB_SMILEY;
import static dev.quire.cli.yjs.Fixtures.base64;
import static dev.quire.cli.yjs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.QuireRunner.Result;
import dev.quire.yjs.Updates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeCommandTest {
    @TempDir
    Path dir;

    @Test
    void mergeWritesTheBytesOfUpdatesMergeUpdates() {
        Path a = write(dir, "a.bin", INSERT_AB_SMILEY);
        Path b = write(dir, "b.bin", CLIENT_2_INSERTS_Z);
        Path c = write(dir, "c.bin", APPEND_C);

        Result r = run("yjs", "merge", a.toString(), b.toString(), c.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, CLIENT_2_INSERTS_Z, APPEND_C)));
    }

    @Test
    void mergeReadsOneBase64UpdatePerLineFromStdin() {
        String lines = base64(INSERT_AB_SMILEY) + "\n\n" + base64(APPEND_C) + "\r\n";

        Result r = runWithStdin(lines, "yjs", "merge", "--base64");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.out()).isEqualTo(base64(Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, APPEND_C))) + "\n");
    }

    @Test
    void mergeReadsStdinWhereDashIsGiven() {
        Path a = write(dir, "a.bin", INSERT_AB_SMILEY);

        Result r = runWithStdin(APPEND_C, "yjs", "merge", a.toString(), "-");

        assertThat(r.stdout()).isEqualTo(Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, APPEND_C)));
    }

    @Test
    void mergeOfV2UpdatesWritesTheBytesOfMergeUpdatesV2() {
        byte[] a = Updates.convertUpdateFormatV1ToV2(INSERT_AB_SMILEY);
        byte[] b = Updates.convertUpdateFormatV1ToV2(CLIENT_2_INSERTS_Z);

        Result r = run("yjs", "merge", "--v2", write(dir, "a.v2", a).toString(), write(dir, "b.v2", b).toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(Updates.mergeUpdatesV2(List.of(a, b)));
    }

    @Test
    void mergeWritesToOutputFile() throws Exception {
        Path out = dir.resolve("merged.bin");

        Result r = run("yjs", "merge", "-o", out.toString(),
                write(dir, "a.bin", INSERT_AB_SMILEY).toString(), write(dir, "b.bin", APPEND_C).toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, APPEND_C)));
    }

    @Test
    void mergeNamesTheMalformedInput() {
        Path good = write(dir, "good.bin", INSERT_AB_SMILEY);
        Path bad = write(dir, "bad.bin", Arrays.copyOf(APPEND_C, 5));

        Result r = run("yjs", "merge", good.toString(), bad.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).startsWith("quire yjs merge: " + bad + ": not a valid v1 update: ").contains("at byte");
    }

    @Test
    void mergeNamesTheStdinLineOfAMalformedBase64Update() {
        String lines = base64(INSERT_AB_SMILEY) + "\n" + base64(Arrays.copyOf(APPEND_C, 5)) + "\n";

        Result r = runWithStdin(lines, "yjs", "merge", "--base64");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("quire yjs merge: <stdin> line 2: not a valid v1 update: ");
    }

    @Test
    void mergeRejectsStdinNamedTwice() {
        Result r = run("yjs", "merge", "-", "-");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("standard input (-) can be given only once");
    }
}
