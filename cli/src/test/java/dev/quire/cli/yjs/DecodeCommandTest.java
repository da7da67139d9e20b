package dev.quire.cli.yjs;

import static dev.quire.cli.QuireRunner.run;
import static dev.quire.cli.QuireRunner.runWithStdin;
import static dev.quire.cli.yjs.Fixtures.DELETE_1_0;
import static dev.quire.cli.yjs.Fixtures.INSERT_AB_SMILEY;
import static dev.quire.cli.yjs.Fixtures.INSERT_AB_SMILEY_BASE64;
import static dev.quire.cli.yjs.Fixtures.NESTED_ARRAY_OF_ANY;
import static dev.quire.cli.yjs.Fixtures.json;
import static dev.quire.cli.yjs.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.cli.QuireRunner.Result;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {
    @TempDir
    Path dir;

    @Test
    void decodeShowsStringItemOfKnownV1Update() {
        Path file = write(dir, "insert.bin", INSERT_AB_SMILEY);

        Result r = run("yjs", "decode", file.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode doc = json(r);
        assertThat(doc.get("format").asText()).isEqualTo("v1");
        JsonNode item = doc.get("structs").get(0);
        assertThat(item.get("type").asText()).isEqualTo("Item");
        assertThat(item.get("id").asText()).isEqualTo("1:0");
        assertThat(item.get("client").asLong()).isEqualTo(1);
        assertThat(item.get("clock").asLong()).isZero();
        assertThat(item.get("length").asLong()).isEqualTo(4);
        assertThat(item.get("origin").isNull()).isTrue();
        assertThat(item.get("rightOrigin").isNull()).isTrue();
        assertThat(item.get("parent").asText()).isEqualTo("t");
        assertThat(item.get("parentSub").isNull()).isTrue();
        assertThat(item.get("content").get("kind").asText()).isEqualTo("String");
        assertThat(item.get("content").get("value").asText()).isEqualTo("ab😀");
        assertThat(doc.get("clients").get("1").toString()).isEqualTo("{\"from\":0,\"to\":4,\"structs\":1}");
        assertThat(doc.get("deleteSet").isEmpty()).isTrue();
    }

    @Test
    void decodeReadsBase64UpdateFromStdin() {
        Result r = runWithStdin(INSERT_AB_SMILEY_BASE64 + "\n", "yjs", "decode", "--base64");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.out()).contains("\"value\": \"ab😀\"");
        assertThat(json(r).get("structs").get(0).get("id").asText()).isEqualTo("1:0");
    }

    @Test
    void decodeShowsDeleteSetRanges() {
        Result r = runWithStdin(DELETE_1_0, "yjs", "decode");

        assertThat(json(r).get("deleteSet").toString()).isEqualTo("{\"1\":[[0,1]]}");
    }

    @Test
    void decodeShowsNestedTypeParentAndTaggedAnyValues() {
        Result r = runWithStdin(NESTED_ARRAY_OF_ANY, "yjs", "decode");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode structs = json(r).get("structs");
        assertThat(structs.get(0).get("parent").asText()).isEqualTo("m");
        assertThat(structs.get(0).get("parentSub").asText()).isEqualTo("k");
        assertThat(structs.get(0).get("content").toString())
                .isEqualTo("{\"kind\":\"Type\",\"typeRef\":0,\"typeName\":\"YArray\",\"name\":null}");
        assertThat(structs.get(1).get("parent").toString()).isEqualTo("{\"id\":\"1:0\"}");
        assertThat(structs.get(1).get("content").get("values").toString()).isEqualTo("[{\"$undefined\":true},"
                + "{\"$number\":\"NaN\"},{\"$number\":\"-0\"},3,0.1,{\"$bigint\":\"123\"},{\"$bytes\":\"AQI=\"},"
                + "{\"$object\":{\"$bigint\":\"x\"}}]");
    }

    @Test
    void decodeReadsV2UpdateWithV2Flag() {
        byte[] v2 = Updates.convertUpdateFormatV1ToV2(INSERT_AB_SMILEY);

        Result r = runWithStdin(v2, "yjs", "decode", "--v2");

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(json(r).get("format").asText()).isEqualTo("v2");
        assertThat(json(r).get("structs").get(0).get("content").get("value").asText()).isEqualTo("ab😀");
    }

    @Test
    void decodeNamesFileAndOffsetOfTruncatedUpdate() {
        byte[] truncated = Arrays.copyOf(INSERT_AB_SMILEY, 10);
        Path file = write(dir, "updates/bad.bin", truncated);
        MalformedUpdateException expected = catchThrowableOfType(MalformedUpdateException.class,
                () -> Updates.decodeUpdate(truncated));

        Result r = run("yjs", "decode", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEqualTo("quire yjs decode: " + file + ": not a valid v1 update: " + expected.getMessage() + "\n");
        assertThat(r.stderr()).contains("at byte " + expected.offset()).doesNotContain("\tat ");
    }

    @Test
    void decodeNamesStdinWhenTruncatedUpdateComesFromStdin() {
        Result r = runWithStdin(Arrays.copyOf(INSERT_AB_SMILEY, 3), "yjs", "decode", "-");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("quire yjs decode: <stdin>: not a valid v1 update: ").contains("at byte");
    }

    @Test
    void decodeOfV1UpdateAsV2NamesTheV2Format() {
        Result r = runWithStdin(INSERT_AB_SMILEY, "yjs", "decode", "--v2");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("quire yjs decode: <stdin>: not a valid v2 update: ");
    }

    @Test
    void decodeOfMissingFileExitsOneNamingThePath() {
        Path missing = dir.resolve("missing.bin");

        Result r = run("yjs", "decode", missing.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("quire yjs decode: " + missing + ": cannot read: no such file\n");
    }

    @Test
    void decodeOfBadBase64ExitsTwoNamingTheFileAndCharacter() {
        Path file = write(dir, "update.b64", "AQEB!AAQ=".getBytes(StandardCharsets.US_ASCII));

        Result r = run("yjs", "decode", "--base64", file.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("quire yjs decode: " + file + ": not valid base64: character '!' at position 4\n");
    }

    @Test
    void decodeAcceptsWrappedAndUrlSafeBase64() {
        String wrapped = INSERT_AB_SMILEY_BASE64.substring(0, 10) + "\n" + INSERT_AB_SMILEY_BASE64.substring(10);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(NESTED_ARRAY_OF_ANY);
        assertThat(urlSafe).contains("_");

        assertThat(json(runWithStdin(wrapped, "yjs", "decode", "--base64")).get("structs").size()).isEqualTo(1);
        assertThat(json(runWithStdin(urlSafe, "yjs", "decode", "--base64")).get("structs").size()).isEqualTo(2);
    }

    @Test
    void decodeWritesJsonToOutputFile() throws Exception {
        Path out = dir.resolve("decoded.json");

        Result r = runWithStdin(INSERT_AB_SMILEY, "yjs", "decode", "-o", out.toString());

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(Files.readString(out)).contains("\"value\": \"ab😀\"");
    }
}
