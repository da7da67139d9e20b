package dev.quire.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    private static void overflow(int depth) {
        overflow(depth + 1);
    }

    @Test
    void aTaskThatDiesOfAnErrorIsReportedAndTheNextTasksStillRun() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor executor = new SerialExecutor(pool);
            List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            executor.onError(e -> seen.add("reported " + e.getClass().getSimpleName()));
            executor.execute(() -> seen.add("first"));
            executor.execute(() -> overflow(0));
            executor.execute(() -> {
                throw new IllegalStateException("an ordinary failure");
            });
            java.util.concurrent.CountDownLatch last = new java.util.concurrent.CountDownLatch(1);
            executor.execute(() -> {
                seen.add("after");
                last.countDown();
            });
            assertThat(last.await(10, TimeUnit.SECONDS)).as("the task after the Error ran").isTrue();
            assertThat(seen).containsExactly("first", "reported StackOverflowError", "after");
            // and the executor keeps taking work
            java.util.concurrent.CountDownLatch later = new java.util.concurrent.CountDownLatch(1);
            executor.execute(later::countDown);
            assertThat(later.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
