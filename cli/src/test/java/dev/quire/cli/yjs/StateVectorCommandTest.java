package dev.quire.cli.yjs;

import static dev.quire.cli.QuireRunner.run;
import static dev.quire.cli.QuireRunner.runWithStdin;
import static dev.quire.cli.yjs.Fixtures.APPEND_C;
import static dev.quire.cli.yjs.Fixtures.CLIENT_2_INSERTS_Z;
import static dev.quire.cli.yjs.Fixtures.INSERT_AB_SMILEY;
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

class StateVectorCommandTest {
    @TempDir
    Path dir;

    @Test
    void stateVectorAsJsonMapsClientToNextClock() {
        Result r = run("yjs", "state-vector", "--json", write(dir, "insert.bin", INSERT_AB_SMILEY).toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(json(r).toString()).isEqualTo("{\"1\":4}");
    }

    @Test
    void stateVectorAsJsonListsEveryClient() {
        byte[] merged = Updates.mergeUpdates(List.of(INSERT_AB_SMILEY, CLIENT_2_INSERTS_Z, APPEND_C));

        Result r = runWithStdin(merged, "yjs", "state-vector", "--json");

        assertThat(json(r).toString()).isEqualTo("{\"2\":1,\"1\":5}");
    }

    @Test
    void stateVectorWritesTheBytesOfEncodeStateVectorFromUpdate() {
        Result r = runWithStdin(INSERT_AB_SMILEY, "yjs", "state-vector");

        assertThat(r.stdout()).isEqualTo(Updates.encodeStateVectorFromUpdate(INSERT_AB_SMILEY));
    }

    @Test
    void stateVectorOfBase64V2UpdateIsWrittenAsBase64() {
        byte[] v2 = Updates.convertUpdateFormatV1ToV2(INSERT_AB_SMILEY);

        Result r = runWithStdin(base64(v2), "yjs", "state-vector", "--v2", "--base64");

        assertThat(r.out()).isEqualTo(base64(Updates.encodeStateVectorFromUpdateV2(v2)) + "\n");
    }
}
