package dev.quire.benchmarks;

import dev.quire.yjs.model.YDoc;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Heap of the Java document built from a trace, measured two ways (prints one JSON object):
 *
 * <ol>
 * <li><b>Retained heap</b> (the same measure bench-document.mjs takes on Node): heap used after
 *     {@code System.gc()} (three times, with short pauses) with the finished document strongly reachable,
 *     minus the same before the document was created, from {@code MemoryMXBean.getHeapMemoryUsage().getUsed()}.
 *     Done for the document after the trace as local edits and for a fresh document that applied the
 *     v1 state; median of 3. The trace and the v1 state are loaded before the baseline, so they are
 *     not counted.</li>
 * <li><b>Smallest -Xmx</b> (peak the JVM really needs, garbage included): child JVMs with
 *     {@code -XX:+UseSerialGC -Xmx<N>k} are started while bisecting N (2 MB steps: the heap alignment) for three tasks:
 *     {@code empty} (start the JVM and exit: the floor), {@code apply} (apply the trace as local edits
 *     straight from a memory-mapped binary copy written by {@link DocumentTrace#writeBinary}, so the trace
 *     is off-heap and the heap holds only the document and its garbage; checks the end text) and
 *     {@code decode} (read the 223 KB v1 state onto the heap and apply it to a fresh document). A child
 *     that fails (OutOfMemoryError) means N is too small. Serial GC is used because it can fill the whole
 *     heap with live objects (its full collection leaves what does not fit the old generation in the young
 *     one), so the smallest N is close to the true peak need, JVM start-up objects included.</li>
 * </ol>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.quire.benchmarks.DocumentHeap &lt;trace.json.gz&gt; [--no-bisect]</pre>
 */
public final class DocumentHeap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    /** Bisection step: the JVM's heap alignment with 4 KB pages (checked with -XX:+PrintFlagsFinal). */
    private static final long STEP_KB = 2048;

    private DocumentHeap() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--child")) {
            child(args);
            return;
        }
        if (args.length < 1 || args.length > 2 || (args.length == 2 && !args[1].equals("--no-bisect"))) {
            System.err.println("usage: DocumentHeap <trace.json.gz> [--no-bisect]");
            System.exit(2);
        }
        Path trace = Path.of(args[0]);
        boolean bisect = args.length == 1;

        DocumentTrace data = DocumentTrace.load(trace);
        byte[] stateV1 = data.applyTo(DocumentTrace.newDoc()).encodeStateAsUpdate(null);
        // warm up so that class loading and JIT metadata do not land between baseline and measurement
        for (int i = 0; i < 2; i++) {
            data.applyTo(DocumentTrace.newDoc());
            DocumentTrace.newDoc().applyUpdate(stateV1);
        }

        List<Long> local = new ArrayList<>();
        List<Long> decoded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long before = usedAfterGc();
            YDoc doc = data.applyTo(DocumentTrace.newDoc());
            long after = usedAfterGc();
            Reference.reachabilityFence(doc);
            local.add(after - before);

            before = usedAfterGc();
            YDoc fresh = DocumentTrace.newDoc();
            fresh.applyUpdate(stateV1);
            after = usedAfterGc();
            Reference.reachabilityFence(fresh);
            decoded.add(after - before);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", "MemoryMXBean heap used after 3x System.gc() with the document alive minus before creating it (median of 3), "
                + ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.put("gc", gcNames());
        out.put("retainedLocalEditsDocBytes", median(local));
        out.put("retainedDecodedDocBytes", median(decoded));
        out.put("samplesLocal", local);
        out.put("samplesDecoded", decoded);
        out.put("traceArraysApproxBytes", approxTraceBytes(data));

        if (bisect) {
            Path stateFile = Files.createTempFile("quire-doc-state", ".bin");
            Path traceFile = Files.createTempFile("quire-doc-trace", ".bin");
            try {
                Files.write(stateFile, stateV1);
                data.writeBinary(traceFile);
                Map<String, Object> minXmx = new LinkedHashMap<>();
                for (String task : List.of("empty", "apply", "decode")) {
                    long kb = smallestXmxKb(task, traceFile, stateFile);
                    minXmx.put(task, kb);
                    System.err.println("  smallest -Xmx for " + task + ": " + kb + " KB");
                }
                out.put("minXmxKb", minXmx);
                out.put("minXmxMethod", "child JVMs -XX:+UseSerialGC -Xmx<N>k, bisection in 2 MB steps (the JVM rounds -Xmx up to 2 MB); "
                        + "empty = start the JVM and exit, apply = apply the trace as local edits straight from a memory-mapped binary copy (the trace is off-heap) and check the end text, decode = read the v1 state + apply it to a fresh doc");
            } finally {
                Files.deleteIfExists(stateFile);
                Files.deleteIfExists(traceFile);
            }
        }
        System.out.println(toJson(out));
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static String gcNames() {
        List<String> names = new ArrayList<>();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.add(gc.getName());
        }
        return String.join(", ", names);
    }

    private static long approxTraceBytes(DocumentTrace d) {
        return 16L + 4L * d.txnStart.length + 4L * d.pos.length + 4L * d.del.length + 4L * d.ins.length;
    }

    private static long median(List<Long> xs) {
        long[] s = xs.stream().mapToLong(Long::longValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * Smallest -Xmx (KB, a multiple of {@link #STEP_KB}) with which the child task succeeds. The JVM rounds
     * -Xmx up to its heap alignment (2 MB here: -Xmx2304k gives a 4 MB heap), so finer steps would only
     * measure the rounding.
     */
    private static long smallestXmxKb(String task, Path trace, Path stateFile) throws IOException, InterruptedException {
        long lo = 2048; // JVM minimum
        long hi = 256 * 1024;
        if (!runChild(task, hi, trace, stateFile)) {
            throw new IllegalStateException(task + " fails even with -Xmx" + hi + "k");
        }
        if (runChild(task, lo, trace, stateFile)) {
            return lo;
        }
        while (hi - lo > STEP_KB) { // invariant: lo fails, hi succeeds
            long mid = (lo + hi) / 2 / STEP_KB * STEP_KB;
            if (mid <= lo) {
                mid = lo + STEP_KB;
            }
            if (runChild(task, mid, trace, stateFile)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static boolean runChild(String task, long xmxKb, Path trace, Path stateFile) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(Arrays.asList(java, "-XX:+UseSerialGC", "-Xms" + Math.min(xmxKb, 2048) + "k", "-Xmx" + xmxKb + "k",
                "-cp", System.getProperty("java.class.path"), DocumentHeap.class.getName(), "--child", task, trace.toString(), stateFile.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0;
    }

    private static void child(String[] args) throws IOException {
        String task = args[1];
        try {
            switch (task) {
                case "empty" -> {
                    // the JVM and this class only: the floor under the other tasks
                }
                case "apply" -> {
                    java.nio.MappedByteBuffer buf;
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(args[2]))) {
                        buf = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size());
                    }
                    YDoc doc = DocumentTrace.newDoc();
                    if (!DocumentTrace.applyMapped(buf, doc)) {
                        System.exit(3);
                    }
                }
                case "decode" -> {
                    byte[] state = Files.readAllBytes(Path.of(args[3]));
                    YDoc doc = DocumentTrace.newDoc();
                    doc.applyUpdate(state);
                    Reference.reachabilityFence(doc);
                }
                default -> System.exit(2);
            }
        } catch (OutOfMemoryError e) {
            System.exit(1);
        }
        System.exit(0);
    }

    private static String toJson(Map<String, Object> m) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m);
    }
}
