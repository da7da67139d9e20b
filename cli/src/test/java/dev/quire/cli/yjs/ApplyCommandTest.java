package dev.quire.cli.yjs;

import static dev.quire.cli.QuireRunner.run;
import static dev.quire.cli.yjs.Fixtures.json;
import static dev.quire.cli.yjs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.cli.QuireRunner.Result;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vectors: yjs 13.6.33, clientID 1 (yjs-format.md section 5): insert "ab😀", insert "X" at 1, delete 0..1. */
class ApplyCommandTest {
    private static final byte[] INSERT = HexFormat.of().parseHex("0101010004010174066162f09f988000");
    private static final byte[] INSERT_X = HexFormat.of().parseHex("01010104c401000101015800");
    private static final byte[] DELETE_A = HexFormat.of().parseHex("000101010001");

    @TempDir
    Path dir;

    @Test
    void applyPrintsStateContentAndPendingAsYjs() {
        Result r = run("yjs", "apply", "--text", "t",
                write(dir, "1.bin", INSERT).toString(), write(dir, "2.bin", INSERT_X).toString(), write(dir, "3.bin", DELETE_A).toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode out = json(r);
        assertThat(out.get("roots").get("t").get("string").asText()).isEqualTo("Xb😀");
        assertThat(out.get("stateVector").toString()).isEqualTo("{\"1\":5}");
        assertThat(out.get("pendingStructs").asBoolean()).isFalse();
        // yjs: 'a' became ContentDeleted(1) after gc, "b😀" was split off with origin (1,0)
        assertThat(HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(out.get("state").asText())))
                .isEqualTo("01030100" + "0101017401" + "8401000562f09f9880" + "c4010001010158" + "0101010001");
    }

    @Test
    void applyReportsPendingStructsWhenADependencyIsMissing() {
        Result r = run("yjs", "apply", "--text", "t", write(dir, "x.bin", INSERT_X).toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode out = json(r);
        assertThat(out.get("pendingStructs").asBoolean()).isTrue();
        assertThat(out.get("roots").get("t").get("string").asText()).isEmpty();
    }

    @Test
    void applyNamesTheFileOfAMalformedUpdate() {
        Result r = run("yjs", "apply", write(dir, "bad.bin", new byte[] {1, 1, 1}).toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("bad.bin").contains("at byte");
    }
}
