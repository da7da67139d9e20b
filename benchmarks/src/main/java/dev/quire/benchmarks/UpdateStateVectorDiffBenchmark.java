package dev.quire.benchmarks;

import dev.quire.yjs.Updates;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Updates.encodeStateVectorFromUpdate} and {@code Updates.diffUpdate} on the fully merged
 * automerge-paper update (1,974,942 bytes; checked equal to yjs's by {@link TraceState}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class UpdateStateVectorDiffBenchmark {

    /** (3) state vector of the fully merged update. */
    @Benchmark
    public byte[] stateVectorFromMerged(TraceState s) {
        return Updates.encodeStateVectorFromUpdate(s.merged);
    }

    /** (4) diff of the fully merged update against the state vector at half the clock. */
    @Benchmark
    public byte[] diffAtHalfClock(TraceState s) {
        return Updates.diffUpdate(s.merged, s.halfSv);
    }
}
