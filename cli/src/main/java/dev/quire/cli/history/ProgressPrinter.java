package dev.quire.cli.history;

import dev.quire.persister.Rebuild;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Shows a rebuild's progress on standard error: on a terminal, one line redrawn in place ({@code \r}) with
 * a bar, the count and the current document; otherwise a plain line at the start, every
 * {@link #PLAIN_EVERY_NANOS} and at the end, so that logs stay short.
 */
final class ProgressPrinter implements Rebuild.Progress, AutoCloseable {
    static final long PLAIN_EVERY_NANOS = 5_000_000_000L;
    private static final int BAR = 30;
    private static final int WIDTH = 79;

    private final OutputStream err;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private long lastPrinted;
    private boolean drawn;

    ProgressPrinter(OutputStream err, boolean terminal, LongSupplier nanoClock) {
        this.err = err;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
    }

    @Override
    public void started(int total) {
        lastPrinted = nanoClock.getAsLong();
        if (terminal) {
            draw(0, total, "");
        } else {
            print("rebuild: " + total + " document" + (total == 1 ? "" : "s") + " to rebuild\n");
        }
    }

    @Override
    public void documentDone(int done, int total, String document) {
        if (terminal) {
            draw(done, total, document);
            return;
        }
        long now = nanoClock.getAsLong();
        if (done == total || now - lastPrinted >= PLAIN_EVERY_NANOS) {
            lastPrinted = now;
            print("rebuild: " + done + "/" + total + " documents done\n");
        }
    }

    private void draw(int done, int total, String document) {
        int filled = total == 0 ? BAR : (int) ((long) done * BAR / total);
        int percent = total == 0 ? 100 : (int) ((long) done * 100 / total);
        String line = "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + done + "/" + total + " (" + percent + "%) ";
        int room = WIDTH - line.length();
        String name = document;
        if (name.length() > room) {
            int from = document.length() - Math.max(0, room - 3);
            if (from < document.length() && Character.isLowSurrogate(document.charAt(from))) {
                from++;
            }
            name = "..." + document.substring(from);
        }
        line += name;
        print("\r" + line + " ".repeat(Math.max(0, WIDTH - line.length())));
        drawn = true;
    }

    /** Ends the redrawn line, so that what follows starts on a line of its own. */
    @Override
    public void close() {
        if (drawn) {
            print("\n");
            drawn = false;
        }
    }

    private void print(String s) {
        try {
            err.write(s.getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            // standard error is gone: progress is not worth failing for
        }
    }
}
