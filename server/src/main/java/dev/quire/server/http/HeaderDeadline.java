package dev.quire.server.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes HTTP connections whose request line and headers take longer than a bound to arrive. Jetty has no such
 * bound: its idle timeout restarts with every byte, so a client sending a header byte every few seconds (slowloris)
 * holds its connection for as long as it likes, and enough of them exhaust the front's file descriptors. A bean of
 * the connector: it looks at every connected endpoint a few times per timeout, which costs little next to a socket
 * and needs no hook in Jetty's parsing. WebSockets are no longer {@link HttpConnection}s once upgraded, and a
 * request being handled or an idle keep-alive connection is not reading headers, so only the idle timeout applies
 * to them.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final AbstractConnector connector;
    private final long timeoutNanos;
    private final long periodMillis;
    private final String setting;
    private volatile Scheduler.Task task;

    HeaderDeadline(AbstractConnector connector, Duration timeout, String setting) {
        this.connector = connector;
        this.timeoutNanos = timeout.toNanos();
        this.periodMillis = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        this.setting = setting;
    }

    @Override
    protected void doStart() {
        task = connector.getScheduler().schedule(this, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        Scheduler.Task t = task;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public void run() {
        try {
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            int closed = 0;
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (endPoint.getConnection() instanceof HttpConnection c && late(c, endPoint, now, nowMillis)) {
                    endPoint.close();
                    closed++;
                }
            }
            if (closed > 0) { // one line per sweep, not per connection: an attack must not flood the log
                LOG.info("closed {} HTTP connection(s) whose request headers did not arrive within {} ms ({})", closed,
                        TimeUnit.NANOSECONDS.toMillis(timeoutNanos), setting);
            }
        } catch (RuntimeException e) {
            LOG.warn("header deadline sweep failed", e);
        } finally {
            if (isRunning()) {
                task = connector.getScheduler().schedule(this, periodMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    private boolean late(HttpConnection c, EndPoint endPoint, long now, long nowMillis) {
        HttpParser parser = c.getParser();
        if (parser.isState(HttpParser.State.START)) {
            // a new connection that has sent nothing, or only blank lines (which keep the parser at START), gets as
            // long for its first request; between requests of a kept-alive connection the idle timeout applies
            return c.getMessagesIn() == 0 && nowMillis - endPoint.getCreatedTimeStamp() > TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
        }
        return parser.inHeaderState() && now - parser.getBeginNanoTime() > timeoutNanos;
    }
}
