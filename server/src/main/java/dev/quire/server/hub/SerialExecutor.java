package dev.quire.server.hub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: all changes to one document go through one.
 *
 * <p>A socket's thread that gives work to an idle document runs it itself once it has handled the frame
 * ({@link #runHere}): an edit then reaches the other sockets from the thread that read it, with no hand-off to
 * the pool (a thread wake-up per edit, which on a busy machine waits for a CPU).
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks a socket's thread runs before it hands the rest to the pool, so that one busy document cannot hold it. */
    static final int RUN_HERE_LIMIT = 64;
    /** The idle executors that got work while this thread handles a frame (see {@link #runHere}); null elsewhere. */
    private static final ThreadLocal<List<SerialExecutor>> CLAIMED = new ThreadLocal<>();

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Executor pool;
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            List<SerialExecutor> claimed = CLAIMED.get();
            if (claimed != null) {
                claimed.add(this); // this thread runs it after the frame handler returned
            } else {
                submit();
            }
        }
    }

    /**
     * Runs {@code handler} (a socket's frame handler), then, on this thread, the work it gave to documents that
     * were idle. That work runs after the handler returned, so no lock the handler took (a session's) is held
     * while the document's tasks send to other sockets. Only for threads that read sockets: the Kafka and Redis
     * clients' threads must not run document work.
     */
    static void runHere(Runnable handler) {
        if (CLAIMED.get() != null) {
            handler.run(); // already inside a handler: its caller runs the work
            return;
        }
        List<SerialExecutor> claimed = new ArrayList<>(1);
        CLAIMED.set(claimed);
        try {
            handler.run();
        } finally {
            CLAIMED.remove();
            for (SerialExecutor e : claimed) { // claimed executors are marked running: they must be drained
                e.drain(RUN_HERE_LIMIT);
            }
        }
    }

    /** Called with the lock held and {@code running} set. */
    private void submit() {
        try {
            pool.execute(() -> drain(Integer.MAX_VALUE));
        } catch (RejectedExecutionException e) { // the front is shutting down
            running = false;
            tasks.clear();
            LOG.debug("dropped document work after shutdown");
        }
    }

    private void drain(int limit) {
        for (int done = 0; ; done++) {
            Runnable next;
            synchronized (this) {
                if (done == limit && !tasks.isEmpty()) {
                    submit(); // still running: the pool takes over the rest
                    return;
                }
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("document task failed", e);
            }
        }
    }
}
