package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void onATerminalRedrawsOneLineInPlaceAndEndsIt() {
        try (ProgressPrinter p = new ProgressPrinter(err, true, nanos::get)) {
            p.started(4);
            p.documentDone(1, 4, "doc-a");
            p.documentDone(4, 4, "doc-d");
        }
        String s = err.toString(StandardCharsets.UTF_8);

        assertThat(s).startsWith("\r[..............................] 0/4 (0%)");
        assertThat(s).contains("\r[#######.......................] 1/4 (25%) doc-a");
        assertThat(s).contains("\r[##############################] 4/4 (100%) doc-d");
        assertThat(s).endsWith("\n").doesNotContain("\n\r");
        assertThat(s.split("\r")).allSatisfy(line -> assertThat(line.strip().length()).isLessThanOrEqualTo(79));
    }

    @Test
    void onATerminalShortensLongDocumentNamesFromTheLeft() {
        try (ProgressPrinter p = new ProgressPrinter(err, true, nanos::get)) {
            p.documentDone(1, 1, "x".repeat(200) + "-end");
        }
        String s = err.toString(StandardCharsets.UTF_8);

        assertThat(s).contains("...xxx").contains("-end");
        assertThat(s.strip().length()).isLessThanOrEqualTo(79);
    }

    @Test
    void elsewherePrintsPlainLinesAtTheStartEveryFewSecondsAndAtTheEnd() {
        try (ProgressPrinter p = new ProgressPrinter(err, false, nanos::get)) {
            p.started(3);
            p.documentDone(1, 3, "a");                 // too soon: not printed
            nanos.addAndGet(ProgressPrinter.PLAIN_EVERY_NANOS);
            p.documentDone(2, 3, "b");
            p.documentDone(3, 3, "c");                 // the last one always is
        }

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "rebuild: 3 documents to rebuild\nrebuild: 2/3 documents done\nrebuild: 3/3 documents done\n");
    }
}
