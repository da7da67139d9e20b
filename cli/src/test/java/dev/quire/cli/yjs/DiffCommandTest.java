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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiffCommandTest {
    private static final byte[] MERGED = Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, CLIENT_2_INSERTS_Z, APPEND_C));
    private static final byte[] SV_AFTER_INSERT = Updates.encodeStateVectorFromUpdate(INSERT_AB_SMILEY);

    @TempDir
    Path dir;

    @Test
    void diffWritesTheBytesOfUpdatesDiffUpdate() {
        Path update = write(dir, "merged.bin", MERGED);
        Path sv = write(dir, "sv.bin", SV_AFTER_INSERT);

        Result r = run("yjs", "diff", update.toString(), "--state-vector", sv.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        byte[] expected = Updates.diffUpdate(MERGED, SV_AFTER_INSERT);
        assertThat(r.stdout()).isEqualTo(expected);
        assertThat(expected).isNotEqualTo(MERGED); // the inserted "ab😀" is left out
    }

    @Test
    void diffTakesStateVectorAsBase64Argument() {
        Result r = runWithStdin(MERGED, "yjs", "diff", "--state-vector-base64", base64(SV_AFTER_INSERT));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(Updates.diffUpdate(MERGED, SV_AFTER_INSERT));
    }

    @Test
    void diffReadsBase64UpdateAndStateVectorFilesWithBase64Flag() {
        Path update = write(dir, "merged.b64", base64(MERGED).getBytes(StandardCharsets.US_ASCII));
        Path sv = write(dir, "sv.b64", (base64(SV_AFTER_INSERT) + "\n").getBytes(StandardCharsets.US_ASCII));

        Result r = run("yjs", "diff", "--base64", update.toString(), "--state-vector", sv.toString());

        assertThat(r.out()).isEqualTo(base64(Updates.diffUpdate(MERGED, SV_AFTER_INSERT)) + "\n");
    }

    @Test
    void diffOfV2UpdateWritesTheBytesOfDiffUpdateV2() {
        byte[] v2 = Updates.convertUpdateFormatV1ToV2(MERGED);

        Result r = runWithStdin(v2, "yjs", "diff", "--v2", "--state-vector-base64", base64(SV_AFTER_INSERT));

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(Updates.diffUpdateV2(v2, SV_AFTER_INSERT));
    }

    @Test
    void diffNamesAMalformedStateVector() {
        Result r = runWithStdin(MERGED, "yjs", "diff", "--state-vector-base64", base64(new byte[] {2, 1}));

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("quire yjs diff: --state-vector-base64: not a valid state vector: ").contains("at byte");
    }

    @Test
    void diffRequiresAStateVector() {
        Result r = runWithStdin(MERGED, "yjs", "diff");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("--state-vector");
    }
}
