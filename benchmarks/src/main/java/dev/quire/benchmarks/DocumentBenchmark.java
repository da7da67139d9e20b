package dev.quire.benchmarks;

import dev.quire.yjs.model.YDoc;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Java yjs document model ({@code dev.quire.yjs.model.YDoc}) on the automerge-paper trace, the same
 * operations bench-document.mjs times with yjs 13.6.33 on Node (see benchmarks/run-document.sh):
 * the trace as local edits (one transaction per txn, client id 1, gc on), encoding the finished
 * document (v1, v2), and applying the v1 / v2 state to a fresh document. {@link DocumentState} checks
 * the text and the encoded bytes against yjs's before anything is measured.
 *
 * <p>{@code -XX:+AlwaysPreTouch}: see {@link UpdateMergeBenchmark} (first-touch page faults on the
 * 2-vCPU machine). The heap is fixed at 1 GB; memory is measured separately by {@link DocumentHeap}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class DocumentBenchmark {

    /** The whole trace as local edits on a fresh document, one transaction per txn. */
    @Benchmark
    @Warmup(iterations = 5, time = 4)
    @Measurement(iterations = 5, time = 4)
    public YDoc applyTraceAsLocalEdits(DocumentState s) {
        return s.data.applyTo(DocumentTrace.newDoc());
    }

    /** {@code Y.encodeStateAsUpdate(doc)} of the finished document. */
    @Benchmark
    public byte[] encodeStateV1(DocumentState s) {
        return s.doc.encodeStateAsUpdate(null);
    }

    /** {@code Y.encodeStateAsUpdateV2(doc)} of the finished document. */
    @Benchmark
    public byte[] encodeStateV2(DocumentState s) {
        return s.doc.encodeStateAsUpdateV2(null);
    }

    /** {@code Y.applyUpdate(freshDoc, v1 state)}. */
    @Benchmark
    public YDoc applyEncodedState(DocumentState s) {
        YDoc d = DocumentTrace.newDoc();
        d.applyUpdate(s.stateV1);
        return d;
    }

    /** {@code Y.applyUpdateV2(freshDoc, v2 state)} (extra; not one of the goals). */
    @Benchmark
    public YDoc applyEncodedStateV2(DocumentState s) {
        YDoc d = DocumentTrace.newDoc();
        d.applyUpdateV2(s.stateV2);
        return d;
    }
}
