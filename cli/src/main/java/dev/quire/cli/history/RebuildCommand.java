package dev.quire.cli.history;

import dev.quire.cli.Quire;
import dev.quire.core.postgres.Database;
import dev.quire.persister.Rebuild;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quire rebuild}: recomputes the snapshots of every document (or one) from the history, with progress. */
@Command(name = "rebuild",
        description = {
            "Recompute the snapshots of every document (or of one) from the history.",
            "Each snapshot is recomputed exactly as the persister chained it; those that differ from the stored ones are "
                    + "replaced, and a document without a snapshot gets one at its last update. Progress goes to standard "
                    + "error (a bar on a terminal), the summary to standard output. Reads QUIRE_DATABASE_URL, "
                    + "QUIRE_DATABASE_USER, QUIRE_DATABASE_PASSWORD and QUIRE_DATABASE_SCHEMA."},
        footer = {
            "%nExit code 1 when a document could not be rebuilt (each is named on standard error; the others are done).",
            "%nExamples:",
            "  quire rebuild",
            "  quire rebuild --doc notes/welcome"})
public final class RebuildCommand extends DatabaseCommand {
    /** Most replaced or created snapshots listed one by one in the summary. */
    static final int LISTED = 20;

    @Option(names = "--doc", paramLabel = "NAME", description = "Rebuild this document only (default: every document).")
    String document;

    @Override
    int run(Database database) {
        Rebuild.Report report;
        try (ProgressPrinter progress = new ProgressPrinter(io().stderr(), io().terminal(), System::nanoTime)) {
            report = new Rebuild(database.dataSource()).run(document, progress);
        }
        StringBuilder out = new StringBuilder();
        out.append("rebuilt ").append(plural(report.documents(), "document")).append(": ")
                .append(plural(report.recomputed(), "snapshot")).append(" recomputed, ")
                .append(report.differed().size()).append(" differed from the stored ones and were replaced, ")
                .append(report.created().size()).append(" created for documents that had none, ")
                .append(report.failures().size()).append(" failed\n");
        list(out, "replaced", report.differed());
        list(out, "created", report.created());
        write(null, out.toString());
        for (Rebuild.Failure f : report.failures()) {
            note("quire rebuild: " + HistoryCommand.shellQuote(f.document()) + " failed: " + oneLine(f.reason()));
        }
        return report.ok() ? Quire.EXIT_OK : Quire.EXIT_IO;
    }

    private static void list(StringBuilder out, String what, List<Rebuild.SnapshotRef> refs) {
        for (int i = 0; i < refs.size() && i < LISTED; i++) {
            out.append(what).append(": ").append(refs.get(i).document()).append(" at offset ").append(refs.get(i).upToOffset())
                    .append('\n');
        }
        if (refs.size() > LISTED) {
            out.append(what).append(": ... and ").append(refs.size() - LISTED).append(" more\n");
        }
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
