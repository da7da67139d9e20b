package dev.quire.server.hub;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules the front's periodic jobs (idle closes, pings, awareness expiry) so that one failed run is logged and the
 * next still happens: a {@link ScheduledExecutorService} silently cancels a periodic task the first time it throws.
 */
public final class Periodic {
    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private Periodic() {
    }

    public static void every(ScheduledExecutorService timers, long periodMillis, String what, Runnable task) {
        timers.scheduleAtFixedRate(() -> {
            try {
                task.run();
            } catch (RuntimeException | StackOverflowError e) {
                LOG.error("{} failed; it runs again in {} ms", what, periodMillis, e);
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }
}
