package dev.quire.cli.yjs;

import static dev.quire.cli.QuireRunner.run;
import static dev.quire.cli.QuireRunner.runWithStdin;
import static dev.quire.cli.yjs.Fixtures.APPEND_C;
import static dev.quire.cli.yjs.Fixtures.CLIENT_2_INSERTS_Z;
import static dev.quire.cli.yjs.Fixtures.INSERT_AB_SMILEY;
import static dev.quire.cli.yjs.Fixtures.NESTED_ARRAY_OF_ANY;
import static dev.quire.cli.yjs.Fixtures.base64;
import static dev.quire.cli.yjs.Fixtures.json;
import static dev.quire.cli.yjs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.cli.QuireRunner.Result;
import dev.quire.yjs.Updates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {
    @TempDir
    Path dir;

    @Test
    void convertToV2WritesTheBytesOfConvertUpdateFormatV1ToV2() {
        Result r = run("yjs", "convert", "--to", "v2", write(dir, "insert.bin", INSERT_AB_SMILEY).toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo(Updates.convertUpdateFormatV1ToV2(INSERT_AB_SMILEY));
    }

    @Test
    void convertV1ToV2ToV1IsIdentity() {
        byte[] v1 = Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, CLIENT_2_INSERTS_Z, APPEND_C));

        Result toV2 = runWithStdin(v1, "yjs", "convert", "--to", "v2");
        Result back = runWithStdin(toV2.stdout(), "yjs", "convert", "--to", "V1");

        assertThat(toV2.exitCode()).as(toV2.stderr()).isZero();
        assertThat(back.exitCode()).as(back.stderr()).isZero();
        assertThat(back.stdout()).isEqualTo(v1);
    }

    @Test
    void convertRoundTripOfBase64KeepsAnyValues() {
        // the fixture writes 3 and -0 as float64; yjs (and so the round trip) writes them in lib0's shorter forms
        Result toV2 = runWithStdin(base64(NESTED_ARRAY_OF_ANY), "yjs", "convert", "--base64", "--to", "v2");
        Result back = runWithStdin(toV2.out(), "yjs", "convert", "--base64", "--to", "v1");

        assertThat(back.exitCode()).as(back.stderr()).isZero();
        assertThat(json(runWithStdin(back.out(), "yjs", "decode", "--base64")))
                .isEqualTo(json(runWithStdin(base64(NESTED_ARRAY_OF_ANY), "yjs", "decode", "--base64")));
    }

    @Test
    void convertToV1NamesTheV2InputFormatInErrors() {
        Result r = runWithStdin(new byte[] {1, 2, 3}, "yjs", "convert", "--to", "v1");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("quire yjs convert: <stdin>: not a valid v2 update: ").contains("at byte");
    }

    @Test
    void convertRequiresTheTargetFormat() {
        Result r = runWithStdin(INSERT_AB_SMILEY, "yjs", "convert");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("Missing required option: '--to=v1|v2'");
    }
}
