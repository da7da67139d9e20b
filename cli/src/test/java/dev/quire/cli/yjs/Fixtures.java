package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.cli.QuireRunner.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

/** Updates the command tests run on, written by hand from {@code yjs-format.md}, and small helpers. */
final class Fixtures {
    /** Client 1 inserts "ab😀" into root text "t" (the yjs format reference example): 1:0, length 4. */
    static final byte[] INSERT_AB_SMILEY = hex("0101010004010174066162f09f988000");
    /** The same as base64. */
    static final String INSERT_AB_SMILEY_BASE64 = "AQEBAAQBAXQGYWLwn5iAAA==";
    /** Client 1 appends "c" after 1:3 (so at 1:4). */
    static final byte[] APPEND_C = hex("01010104840103016300");
    /** Client 2 inserts "z" into root text "t". */
    static final byte[] CLIENT_2_INSERTS_Z = hex("0101020004010174017a00");
    /** No structs; deletes 1:0 (one unit). */
    static final byte[] DELETE_1_0 = hex("000101010001");
    /**
     * Client 1 sets root map "m" key "k" to a YArray (1:0) and pushes eight values into it (1:1):
     * undefined, NaN, -0, 3, 0.1, 123n, bytes [1, 2], {"$bigint": "x"}; deletes 1:0.
     */
    static final byte[] NESTED_ARRAY_OF_ANY = hex("010201002701016d016b0008000100087f7b7ff80000000000007b8000000000000000"
            + "7b40080000000000007b3fb999999999999a7a000000000000007b7402010276010724626967696e747701780101010001");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Result r) {
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.out() + r.stderr(), e);
        }
    }
}
