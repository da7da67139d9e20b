package dev.quire.server.hub;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: all changes to one document go through one.
 * It survives any {@link Throwable} a task throws: a task that died of an {@link Error} (a stack overflow, say) left
 * its document in a state nobody can vouch for, so {@code onError} is told (the hub drops the document and resets its
 * connections) and the next tasks still run; before, an Error escaped the loop with {@code running} still set and
 * every later task of the document queued for ever.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final Executor pool;
    private volatile java.util.function.Consumer<Error> onError = e -> { };
    private boolean running;

    SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /** Who is told when a task died of an Error (run on this executor, as the next task). */
    void onError(java.util.function.Consumer<Error> handler) {
        this.onError = handler;
    }

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        if (!running) {
            running = true;
            try {
                pool.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) { // the front is shutting down
                running = false;
                tasks.clear();
                LOG.debug("dropped document work after shutdown");
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
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
            } catch (Error e) {
                LOG.error("document task died of {}", e.toString(), e instanceof StackOverflowError ? null : e);
                try {
                    onError.accept(e);
                } catch (Throwable t) {
                    LOG.error("handling a failed document task failed too", t);
                }
            }
        }
    }
}
