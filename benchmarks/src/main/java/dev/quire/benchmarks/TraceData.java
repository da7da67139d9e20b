package dev.quire.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.yjs.Updates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The recorded trace and the yjs side's results, as written by {@code benchmarks/js/record-trace.mjs}
 * and {@code benchmarks/js/bench-updates.mjs} into one directory:
 * {@code updates.bin} (repeated [uint32 BE length][v1 update]), {@code node-results.json} (sizes and
 * sha256 of yjs's outputs) and {@code node-<op>.bin} (yjs's outputs themselves).
 */
public final class TraceData {
    /** Chunk size of the chunked merge, as in bench-updates.mjs. */
    public static final int CHUNK = 1000;

    public final Path dir;
    public final List<byte[]> updates;
    public final JsonNode node;

    private TraceData(Path dir, List<byte[]> updates, JsonNode node) {
        this.dir = dir;
        this.updates = updates;
        this.node = node;
    }

    public static TraceData load(String dirName) {
        Path dir = Path.of(dirName).toAbsolutePath();
        try {
            List<byte[]> updates = readUpdates(dir.resolve("updates.bin"));
            JsonNode node = new ObjectMapper().readTree(dir.resolve("node-results.json").toFile());
            if (node.path("updates").asInt() != updates.size()) {
                throw new IllegalStateException("node-results.json is for " + node.path("updates").asInt()
                        + " updates, updates.bin holds " + updates.size());
            }
            return new TraceData(dir, updates, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read benchmark data in " + dir
                    + " (run benchmarks/run-updates.sh, or record-trace.mjs and bench-updates.mjs first)", e);
        }
    }

    static List<byte[]> readUpdates(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        List<byte[]> out = new ArrayList<>();
        while (buf.hasRemaining()) {
            byte[] u = new byte[buf.getInt()];
            buf.get(u);
            out.add(u);
        }
        return out;
    }

    // ---- the operations, shared by the benchmarks and the setup check ----

    public byte[] mergeOneCall(int n) {
        return Updates.mergeUpdates(n == updates.size() ? updates : updates.subList(0, n));
    }

    public static byte[] mergeChunked(List<byte[]> updates) {
        List<byte[]> parts = new ArrayList<>((updates.size() + CHUNK - 1) / CHUNK);
        for (int i = 0; i < updates.size(); i += CHUNK) {
            parts.add(Updates.mergeUpdates(updates.subList(i, Math.min(updates.size(), i + CHUNK))));
        }
        return Updates.mergeUpdates(parts);
    }

    /** The state vector at half of client 1's clock in {@code merged}, as bench-updates.mjs builds it. */
    public static byte[] halfStateVector(byte[] merged) {
        Map<Long, Long> sv = Updates.decodeStateVector(Updates.encodeStateVectorFromUpdate(merged));
        if (sv.size() != 1 || !sv.containsKey(1L)) {
            throw new IllegalStateException("expected a state vector of client 1 only, got " + sv);
        }
        return Updates.encodeStateVector(Map.of(1L, sv.get(1L) / 2));
    }

    // ---- the check against yjs ----

    /**
     * Fails loudly unless {@code java} has the size and sha256 yjs's output {@code nodeOp} has in
     * node-results.json; the message names the first differing byte (compared with node-&lt;op&gt;.bin).
     */
    public void check(String javaOp, byte[] java, String nodeOp) {
        JsonNode expected = node.path("results").path(nodeOp);
        if (expected.isMissingNode()) {
            throw new IllegalStateException("node-results.json has no result '" + nodeOp + "'");
        }
        String javaSha = sha256(java);
        String nodeSha = expected.path("sha256").asText();
        long nodeSize = expected.path("bytes").asLong();
        if (javaSha.equals(nodeSha) && java.length == nodeSize) {
            return;
        }
        String where;
        try {
            byte[] nodeBytes = Files.readAllBytes(dir.resolve("node-" + nodeOp + ".bin"));
            where = "first differing byte at offset " + firstDifference(java, nodeBytes);
        } catch (IOException e) {
            where = "node-" + nodeOp + ".bin not readable: " + e;
        }
        throw new IllegalStateException("OUTPUT MISMATCH: Java " + javaOp + " (" + java.length + " bytes, sha256 " + javaSha
                + ") != yjs " + nodeOp + " (" + nodeSize + " bytes, sha256 " + nodeSha + "); " + where);
    }

    /** Index of the first differing byte, or the shorter length if one is a prefix of the other, or -1. */
    public static long firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
