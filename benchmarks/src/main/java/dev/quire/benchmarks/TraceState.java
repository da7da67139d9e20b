package dev.quire.benchmarks;

import dev.quire.yjs.Updates;
import java.util.Base64;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Loads the recorded per-edit updates once per fork and, before anything is measured, checks that
 * every Java output the benchmarks produce is byte-equal (size + sha256) to yjs's output for the same
 * input, as recorded by bench-updates.mjs. Throws (and so fails the benchmark) on any difference.
 */
@State(Scope.Benchmark)
public class TraceState {
    /** Directory written by record-trace.mjs and bench-updates.mjs; relative paths resolve against the working directory. */
    @Param("benchmarks/target/updates-trace")
    public String dataDir;

    public List<byte[]> updates;
    /** Java's ONE-call merge of all updates (checked equal to yjs's chunked merge). */
    public byte[] merged;
    /** State vector {client 1: half of the total clock}. */
    public byte[] halfSv;

    @Setup(Level.Trial)
    public void setUp() {
        TraceData data = TraceData.load(dataDir);
        updates = data.updates;

        // (1) one call over all: yjs's own one-call result is too slow to produce (~17 min), it equals
        // its chunked result, so the Java one-call output is compared with yjs's chunked output.
        merged = data.mergeOneCall(updates.size());
        data.check("mergeUpdates(all " + updates.size() + ", one call)", merged, "mergeChunked");
        for (var n : data.node.path("prefixes")) {
            int k = n.asInt();
            data.check("mergeUpdates(first " + k + ", one call)", data.mergeOneCall(k), "mergeOneCall" + (k / 1000) + "k");
        }
        // (2) chunked
        data.check("chunked merge", TraceData.mergeChunked(updates), "mergeChunked");
        // (3) state vector; (4) diff at half the clock
        data.check("encodeStateVectorFromUpdate(merged)", Updates.encodeStateVectorFromUpdate(merged), "stateVector");
        halfSv = TraceData.halfStateVector(merged);
        byte[] nodeHalfSv = Base64.getDecoder().decode(data.node.path("halfSvBase64").asText());
        if (!java.util.Arrays.equals(halfSv, nodeHalfSv)) {
            throw new IllegalStateException("half state vector differs: Java " + Base64.getEncoder().encodeToString(halfSv)
                    + ", yjs " + data.node.path("halfSvBase64").asText());
        }
        data.check("diffUpdate(merged, half sv)", Updates.diffUpdate(merged, halfSv), "diffHalf");
        System.out.println("\n[check] Java outputs byte-equal to yjs " + data.node.path("yjs").asText() + " for "
                + updates.size() + " updates: one-call merge of all = yjs chunked (" + merged.length
                + " bytes), prefixes " + data.node.path("prefixes") + ", chunked, state vector, diff");
    }
}
