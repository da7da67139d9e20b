package dev.quire.cli.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.cli.Quire;
import dev.quire.cli.yjs.JsonText;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.core.postgres.DocumentReplay;
import dev.quire.core.postgres.HistoryEntry;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code quire history}: the versions of a document (partition, offset, time, origin, size), a page at a time. */
@Command(name = "history",
        description = {
            "List the versions of a document, oldest first, a page at a time.",
            "Each version is an update: its Kafka partition and offset (the version number that quire replay --offset "
                    + "takes), its time, origin and size in bytes. The last line tells how to get the next page. Reads "
                    + "QUIRE_DATABASE_URL, QUIRE_DATABASE_USER, QUIRE_DATABASE_PASSWORD and QUIRE_DATABASE_SCHEMA."},
        footer = {
            "%nExamples:",
            "  quire history --doc notes/welcome",
            "  quire history --doc notes/welcome --after 1234 --limit 100 --json"})
public final class HistoryCommand extends DatabaseCommand {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");
    static final int MAX_LIMIT = 10_000;

    @Option(names = "--doc", required = true, paramLabel = "NAME", description = "The document (the Kafka record key).")
    String document;

    @Option(names = "--after", paramLabel = "OFFSET", description = "Start after this offset (default: from the first version).")
    Long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "Versions per page, 1 to " + MAX_LIMIT + " (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print {\"document\", \"versions\": [...], \"nextAfter\"} instead of a table.")
    boolean json;

    @Override
    void check() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(), "--limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }

    @Override
    int run(Database database) {
        DocumentHistory history = new DocumentHistory(database.dataSource());
        if (history.first(document).isEmpty()) {
            throw new DocumentReplay.NotFoundException("unknown document '" + document + "': it has no history");
        }
        List<HistoryEntry> rows = history.page(document, after == null ? -1 : after, limit + 1);
        boolean more = rows.size() > limit;
        List<HistoryEntry> page = more ? rows.subList(0, limit) : rows;
        Long nextAfter = more ? page.get(page.size() - 1).offset() : null;
        write(null, json ? JsonText.pretty(json(page, nextAfter)) + "\n" : table(page, nextAfter));
        return Quire.EXIT_OK;
    }

    private String table(List<HistoryEntry> page, Long nextAfter) {
        if (page.isEmpty()) {
            return "no versions of " + document + " after offset " + after + "\n";
        }
        String[] head = {"PARTITION", "OFFSET", "TIME", "ORIGIN", "SIZE"};
        String[][] cells = new String[page.size()][];
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
        }
        for (int r = 0; r < page.size(); r++) {
            HistoryEntry e = page.get(r);
            cells[r] = new String[] {Integer.toString(e.partition()), Long.toString(e.offset()), e.timestamp().toString(),
                e.origin() == null ? "-" : e.origin(), Integer.toString(e.size())};
            for (int i = 0; i < head.length; i++) {
                width[i] = Math.max(width[i], cells[r][i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, head, width);
        for (String[] row : cells) {
            line(out, row, width);
        }
        if (nextAfter != null) {
            out.append("next page: quire history --doc ").append(shellQuote(document)).append(" --after ").append(nextAfter)
                    .append(" --limit ").append(limit).append('\n');
        } else {
            out.append("(end of history)\n");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            boolean number = i != 2 && i != 3;
            String cell = cells[i];
            String pad = " ".repeat(width[i] - cell.length());
            if (i == cells.length - 1) {
                out.append(number ? pad + cell : cell);
            } else {
                out.append(number ? pad + cell : cell + pad).append("  ");
            }
        }
        out.append('\n');
    }

    private ObjectNode json(List<HistoryEntry> page, Long nextAfter) {
        ObjectNode out = NODES.objectNode();
        out.put("document", document);
        ArrayNode versions = out.putArray("versions");
        for (HistoryEntry e : page) {
            ObjectNode v = versions.addObject();
            v.put("partition", e.partition());
            v.put("offset", e.offset());
            v.put("timestamp", e.timestamp().toString());
            v.put("origin", e.origin());
            v.put("size", e.size());
        }
        if (nextAfter == null) {
            out.putNull("nextAfter");
        } else {
            out.put("nextAfter", nextAfter);
        }
        return out;
    }

    /** {@code name} as one shell word. */
    static String shellQuote(String name) {
        return SHELL_SAFE.matcher(name).matches() ? name : "'" + name.replace("'", "'\\''") + "'";
    }
}
