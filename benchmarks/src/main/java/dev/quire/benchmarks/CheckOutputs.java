package dev.quire.benchmarks;

import dev.quire.yjs.Updates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes every Java output the benchmarks measure, once, and compares it with yjs's (size, sha256,
 * first differing byte). Prints one JSON object; exits 1 if any output differs.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.quire.benchmarks.CheckOutputs &lt;dataDir&gt;</pre>
 */
public final class CheckOutputs {
    private CheckOutputs() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: CheckOutputs <dataDir>");
            System.exit(2);
        }
        TraceData data = TraceData.load(args[0]);
        List<byte[]> updates = data.updates;
        Map<String, String> rows = new LinkedHashMap<>();
        boolean ok = true;

        byte[] merged = data.mergeOneCall(updates.size());
        ok &= row(data, rows, "mergeAllOneCall", merged, "mergeChunked");
        for (var n : data.node.path("prefixes")) {
            int k = n.asInt();
            ok &= row(data, rows, "mergePrefixOneCall" + k, data.mergeOneCall(k), "mergeOneCall" + (k / 1000) + "k");
        }
        ok &= row(data, rows, "mergeChunked", TraceData.mergeChunked(updates), "mergeChunked");
        ok &= row(data, rows, "stateVectorFromMerged", Updates.encodeStateVectorFromUpdate(merged), "stateVector");
        ok &= row(data, rows, "diffAtHalfClock", Updates.diffUpdate(merged, TraceData.halfStateVector(merged)), "diffHalf");

        StringBuilder json = new StringBuilder("{\n  \"allEqual\": ").append(ok).append(",\n  \"results\": {");
        String sep = "\n";
        for (var e : rows.entrySet()) {
            json.append(sep).append("    \"").append(e.getKey()).append("\": ").append(e.getValue());
            sep = ",\n";
        }
        json.append("\n  }\n}");
        System.out.println(json);
        if (!ok) {
            System.exit(1);
        }
    }

    private static boolean row(TraceData data, Map<String, String> rows, String javaOp, byte[] out, String nodeOp) {
        String error = null;
        try {
            data.check(javaOp, out, nodeOp);
        } catch (IllegalStateException e) {
            error = e.getMessage();
            System.err.println(error);
        }
        rows.put(javaOp, "{\"bytes\": " + out.length + ", \"sha256\": \"" + TraceData.sha256(out) + "\", \"comparedWith\": \""
                + nodeOp + "\", \"equal\": " + (error == null)
                + (error == null ? "" : ", \"error\": \"" + error.replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + "}");
        return error == null;
    }
}
