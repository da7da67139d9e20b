package dev.quire.benchmarks;

import dev.quire.yjs.Updates;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Updates.mergeUpdates} on the automerge-paper trace recorded as 259,778 per-edit v1 updates
 * by yjs 13.6.33 (see benchmarks/run-updates.sh, which also times yjs on Node on the same input).
 * {@link TraceState} checks every output against yjs's before measuring.
 *
 * <p>{@code -XX:+AlwaysPreTouch}: on the 2-vCPU microVM this was written on, the first touch of each
 * heap page is so slow that, without it, every fork ran 5-15x slower for its first ~10 s (until G1 had
 * cycled through the whole eden once), which looked like a very long JIT warm-up.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class UpdateMergeBenchmark {

    /** Prefix length for the one-call prefix merges (yjs is quadratic there, so only prefixes run on Node). */
    @State(Scope.Benchmark)
    public static class Prefix {
        @Param({"16000", "32000"})
        public int prefix;
    }

    /** (1) ONE merge call over all 259,778 per-edit updates. */
    @Benchmark
    @Warmup(iterations = 5, time = 3)
    @Measurement(iterations = 5, time = 3)
    public byte[] mergeAllOneCall(TraceState s) {
        return Updates.mergeUpdates(s.updates);
    }

    /** (1') ONE merge call over the first 16,000 / 32,000 updates (direct ratio with yjs). */
    @Benchmark
    public byte[] mergePrefixOneCall(TraceState s, Prefix p) {
        return Updates.mergeUpdates(s.updates.subList(0, p.prefix));
    }

    /** (2) chunks of 1,000 consecutive updates, then one merge of the 260 chunk results. */
    @Benchmark
    public byte[] mergeChunked(TraceState s) {
        return TraceData.mergeChunked(s.updates);
    }
}
