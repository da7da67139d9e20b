package dev.quire.yjs.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The conformance data written by {@code src/test/js/gen-corpus.mjs} with the real yjs; Maven runs the
 * generator before the tests (see the module pom).
 */
final class Corpus {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Corpus() {
    }

    static Path dir() {
        String d = System.getProperty("quire.conformance.dir", "target/conformance");
        return Path.of(d);
    }

    static List<JsonNode> read(String file) throws IOException {
        Path p = dir().resolve(file);
        if (!Files.exists(p)) {
            throw new IllegalStateException("conformance corpus " + p + " is missing: run the tests through Maven "
                    + "(it runs src/test/js/gen-corpus.mjs with the pinned yjs), or run that script by hand");
        }
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    static byte[] b64(JsonNode n) {
        return Base64.getDecoder().decode(n.asText());
    }

    static List<byte[]> b64List(JsonNode arr) {
        List<byte[]> out = new ArrayList<>(arr.size());
        arr.forEach(n -> out.add(b64(n)));
        return out;
    }

    static <T> List<T> pick(List<T> all, JsonNode indices) {
        List<T> out = new ArrayList<>(indices.size());
        indices.forEach(i -> out.add(all.get(i.asInt())));
        return out;
    }
}
