package dev.quire.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.yjs.model.YDoc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The trace, the finished Java document and its encoded states, for {@link DocumentBenchmark}. Before
 * anything is measured, {@link #check} makes sure the Java document is the one yjs builds: its text is
 * the trace's {@code endContent} (and yjs's), and its v1 and v2 states are byte-equal (size + sha256) to
 * yjs's as recorded by bench-document.mjs in {@code node-document.json}; applying the v1 / v2 state to a
 * fresh document gives the same text and the same v1 state again. Any difference throws, which fails
 * the benchmark run.
 */
@State(Scope.Benchmark)
public class DocumentState {
    /** The trace (gzipped JSON); relative paths resolve against the working directory. */
    @Param("../shared/data/editing-traces/automerge-paper.json.gz")
    public String trace;

    /** Directory where bench-document.mjs wrote node-document.json and node-state-v1/v2.bin. */
    @Param("benchmarks/target/document-bench")
    public String dataDir;

    public DocumentTrace data;
    /** The document after the whole trace (for the encode benchmarks). */
    public YDoc doc;
    public byte[] stateV1;
    public byte[] stateV2;

    @Setup(Level.Trial)
    public void setUp() {
        data = DocumentTrace.load(Path.of(trace));
        doc = data.applyTo(DocumentTrace.newDoc());
        stateV1 = doc.encodeStateAsUpdate(null);
        stateV2 = doc.encodeStateAsUpdateV2(null);
        System.out.println("\n" + check(data, doc, stateV1, stateV2, Path.of(dataDir)));
    }

    /** Throws unless the Java results equal yjs's; returns a one-line summary. */
    public static String check(DocumentTrace data, YDoc doc, byte[] stateV1, byte[] stateV2, Path dataDir) {
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(dataDir.resolve("node-document.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir.resolve("node-document.json")
                    + " (run benchmarks/run-document.sh, or bench-document.mjs first)", e);
        }
        String text = doc.getText("text").toString();
        if (!text.equals(data.endContent)) {
            throw new IllegalStateException("TEXT MISMATCH: Java text after the trace (" + text.length()
                    + " chars) differs from the trace's endContent (" + data.endContent.length() + " chars)");
        }
        String textSha = TraceData.sha256(text.getBytes(StandardCharsets.UTF_8));
        if (!textSha.equals(node.path("endTextSha256").asText()) || text.length() != node.path("endTextLength").asInt()) {
            throw new IllegalStateException("TEXT MISMATCH: Java text " + text.length() + " chars sha256 " + textSha
                    + ", yjs " + node.path("endTextLength").asInt() + " chars sha256 " + node.path("endTextSha256").asText());
        }
        compare("v1 state (encodeStateAsUpdate)", stateV1, node.path("results").path("encodeStateV1"), dataDir.resolve("node-state-v1.bin"));
        compare("v2 state (encodeStateAsUpdateV2)", stateV2, node.path("results").path("encodeStateV2"), dataDir.resolve("node-state-v2.bin"));
        for (int v = 1; v <= 2; v++) {
            YDoc fresh = DocumentTrace.newDoc();
            if (v == 1) {
                fresh.applyUpdate(stateV1);
            } else {
                fresh.applyUpdateV2(stateV2);
            }
            byte[] again = fresh.encodeStateAsUpdate(null);
            if (!fresh.getText("text").toString().equals(data.endContent) || !java.util.Arrays.equals(again, stateV1)) {
                throw new IllegalStateException("ROUND TRIP MISMATCH: a fresh document that applied the v" + v
                        + " state has different text or encodes differently");
            }
        }
        return "[check] Java document equals yjs " + node.path("yjs").asText() + ": text " + text.length()
                + " chars = endContent, v1 state " + stateV1.length + " B sha256 " + TraceData.sha256(stateV1).substring(0, 12)
                + "… = yjs, v2 state " + stateV2.length + " B = yjs, both round-trip";
    }

    private static void compare(String what, byte[] java, JsonNode expected, Path nodeFile) {
        String javaSha = TraceData.sha256(java);
        if (expected.isMissingNode()) {
            throw new IllegalStateException("node-document.json has no result for " + what);
        }
        if (javaSha.equals(expected.path("sha256").asText()) && java.length == expected.path("bytes").asLong()) {
            return;
        }
        String where;
        try {
            where = "first differing byte at offset " + TraceData.firstDifference(java, Files.readAllBytes(nodeFile));
        } catch (IOException e) {
            where = nodeFile + " not readable: " + e;
        }
        throw new IllegalStateException("OUTPUT MISMATCH: Java " + what + " " + java.length + " B sha256 " + javaSha
                + " != yjs " + expected.path("bytes").asLong() + " B sha256 " + expected.path("sha256").asText() + "; " + where);
    }
}
