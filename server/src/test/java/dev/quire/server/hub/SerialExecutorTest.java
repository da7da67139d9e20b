package dev.quire.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * Who runs a document's tasks: the pool, or the socket's thread that gave work to an idle document
 * ({@link SerialExecutor#runHere}), and how the two hand over without losing order or a task.
 */
class SerialExecutorTest {
    /** A pool that only collects what it is given, run by the test when it chooses. */
    static final class ManualPool implements Executor {
        final ArrayDeque<Runnable> submitted = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            submitted.add(r);
        }

        void runAll() {
            while (!submitted.isEmpty()) {
                submitted.poll().run();
            }
        }
    }

    private final ManualPool pool = new ManualPool();
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    @Test
    void workGivenToAnIdleDocumentRunsOnTheHandlersThreadAfterTheHandlerReturned() {
        SerialExecutor document = new SerialExecutor(pool);
        Object sessionLock = new Object();
        Thread socketThread = Thread.currentThread();
        List<Boolean> lockHeld = new ArrayList<>();

        SerialExecutor.runHere(() -> {
            synchronized (sessionLock) { // as HocuspocusSession.onFrame
                document.execute(() -> {
                    ran.add("apply");
                    lockHeld.add(Thread.holdsLock(sessionLock));
                    assertThat(Thread.currentThread()).isSameAs(socketThread);
                    document.execute(() -> ran.add("flush")); // queued behind, as broadcastUpdate does
                });
                ran.add("handler done");
            }
        });

        assertThat(ran).containsExactly("handler done", "apply", "flush");
        assertThat(lockHeld).containsExactly(false);
        assertThat(pool.submitted).isEmpty();
    }

    @Test
    void aDocumentAlreadyRunningOnThePoolKeepsItsWorkThere() {
        SerialExecutor document = new SerialExecutor(pool);
        document.execute(() -> ran.add("earlier"));
        assertThat(pool.submitted).hasSize(1);

        SerialExecutor.runHere(() -> document.execute(() -> ran.add("from the socket")));

        assertThat(ran).isEmpty(); // the handler's thread did not jump the queue
        pool.runAll();
        assertThat(ran).containsExactly("earlier", "from the socket");
    }

    @Test
    void aBusyDocumentIsHandedToThePoolAfterTheLimitInOrder() {
        SerialExecutor document = new SerialExecutor(pool);
        int total = SerialExecutor.RUN_HERE_LIMIT + 10;
        SerialExecutor.runHere(() -> {
            for (int i = 0; i < total; i++) {
                int n = i;
                document.execute(() -> ran.add(Integer.toString(n)));
            }
        });

        assertThat(ran).hasSize(SerialExecutor.RUN_HERE_LIMIT);
        assertThat(pool.submitted).hasSize(1);
        document.execute(() -> ran.add("later")); // still running (on the pool): queued, not submitted again
        assertThat(pool.submitted).hasSize(1);
        pool.runAll();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            expected.add(Integer.toString(i));
        }
        expected.add("later");
        assertThat(ran).containsExactlyElementsOf(expected);
    }

    @Test
    void workOfAHandlerThatThrewStillRunsAndTheDocumentStaysUsable() {
        SerialExecutor document = new SerialExecutor(pool);
        assertThatThrownBy(() -> SerialExecutor.runHere(() -> {
            document.execute(() -> ran.add("queued before the failure"));
            throw new IllegalStateException("bad frame");
        })).hasMessage("bad frame");
        assertThat(ran).containsExactly("queued before the failure");

        document.execute(() -> ran.add("next"));
        pool.runAll();
        assertThat(ran).containsExactly("queued before the failure", "next");
    }

    @Test
    void workThatDocumentTasksGiveToOtherDocumentsGoesToThePool() {
        SerialExecutor first = new SerialExecutor(pool);
        SerialExecutor second = new SerialExecutor(pool);
        SerialExecutor.runHere(() -> first.execute(() -> second.execute(() -> ran.add("second"))));

        assertThat(ran).isEmpty();
        assertThat(pool.submitted).hasSize(1);
        pool.runAll();
        assertThat(ran).containsExactly("second");
    }

    @Test
    void outsideAHandlerEverythingGoesThroughThePool() {
        SerialExecutor document = new SerialExecutor(pool);
        document.execute(() -> ran.add("a"));
        document.execute(() -> ran.add("b"));

        assertThat(ran).isEmpty();
        assertThat(pool.submitted).hasSize(1);
        pool.runAll();
        assertThat(ran).containsExactly("a", "b");
    }
}
