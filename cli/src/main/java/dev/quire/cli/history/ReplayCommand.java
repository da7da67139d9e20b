package dev.quire.cli.history;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.cli.Quire;
import dev.quire.cli.yjs.ContentJson;
import dev.quire.cli.yjs.JsonText;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DocumentHistory;
import dev.quire.core.postgres.DocumentReplay;
import dev.quire.yjs.model.YDoc;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code quire replay}: a document as it was at an offset or a time (the newest snapshot at or before that
 * point plus the history rows after it, {@link DocumentReplay}), printed as text, JSON or a Yjs update.
 */
@Command(name = "replay",
        description = {
            "Print a document as it was at an offset or a time (latest by default): text, JSON or a Yjs update.",
            "It is rebuilt from the nearest snapshot at or before that point plus the history after it, in PostgreSQL "
                    + "(QUIRE_DATABASE_URL, QUIRE_DATABASE_USER, QUIRE_DATABASE_PASSWORD, QUIRE_DATABASE_SCHEMA)."},
        footer = {
            "%nExamples:",
            "  quire replay --doc notes/welcome",
            "  quire replay --doc notes/welcome --at 2026-11-26T10:00:00Z --format json",
            "  quire replay --doc notes/welcome --offset 1234 --format yjs -o welcome.bin"})
public final class ReplayCommand extends DatabaseCommand {
    /** What to print. */
    enum Format { text, json, yjs }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Option(names = "--doc", required = true, paramLabel = "NAME", description = "The document (the Kafka record key).")
    String document;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Point point;

    /** At most one of --offset and --at; neither means the latest version. */
    static final class Point {
        @Option(names = "--offset", paramLabel = "N",
                description = "The document after its updates up to Kafka offset N (inclusive) of its partition.")
        Long offset;

        @Option(names = "--at", paramLabel = "TIME", converter = TimeConverter.class,
                description = "The document after its last update at or before TIME: " + TimeConverter.HELP + ".")
        Instant at;
    }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the text and XML roots), json (every root, with the version) or yjs (the state as one "
                    + "v1 update). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--base64", description = "With --format yjs: write the update as base64 and a newline.")
    boolean base64;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    void check() {
        if (base64 && format != Format.yjs) {
            throw new ParameterException(spec.commandLine(), "--base64 applies to --format yjs only");
        }
    }

    @Override
    int run(Database database) {
        DocumentReplay replay = new DocumentReplay(new DocumentHistory(database.dataSource()));
        DocumentReplay.Version v;
        if (point != null && point.at != null) {
            v = replay.atTime(document, point.at);
        } else {
            v = replay.atOffset(document, point != null && point.offset != null ? point.offset : Long.MAX_VALUE);
        }
        switch (format) {
            case text -> write(output, text(v.doc()));
            case json -> write(output, JsonText.pretty(json(v)) + "\n");
            case yjs -> {
                byte[] state = v.doc().encodeStateAsUpdate(null);
                if (base64) {
                    write(output, Base64.getEncoder().encodeToString(state) + "\n");
                } else {
                    write(output, state);
                }
            }
        }
        return Quire.EXIT_OK;
    }

    /** Each text or XML root's string, under a {@code ==> name (kind) <==} line when there are several. */
    private String text(YDoc doc) {
        List<String> shown = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, String> kinds = doc.inferRootKinds();
        kinds.forEach((name, kind) -> (kind.equals("text") || kind.equals("xmlFragment") ? shown : skipped).add(name));
        if (!skipped.isEmpty()) {
            note("quire replay: not shown as text: " + String.join(", ", skipped.stream().map(n -> n + " (" + kinds.get(n) + ")").toList())
                    + "; use --format json");
        }
        StringBuilder out = new StringBuilder();
        for (String name : shown) {
            if (shown.size() > 1) {
                out.append(out.length() == 0 ? "" : "\n").append("==> ").append(name).append(" (").append(kinds.get(name))
                        .append(") <==\n");
            }
            String s = kinds.get(name).equals("text") ? doc.getText(name).toString() : doc.getXmlFragment(name).toString();
            out.append(s);
            if (!s.isEmpty() && !s.endsWith("\n")) {
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** {@code {"document", "offset", "timestamp", "roots": {name: string | JSON}}}. */
    private ObjectNode json(DocumentReplay.Version v) {
        ObjectNode out = NODES.objectNode();
        out.put("document", document);
        out.put("offset", v.offset());
        out.put("timestamp", v.timestamp().toString());
        ObjectNode roots = out.putObject("roots");
        YDoc doc = v.doc();
        doc.inferRootKinds().forEach((name, kind) -> {
            switch (kind) {
                case "text" -> roots.put(name, doc.getText(name).toString());
                case "xmlFragment" -> roots.put(name, doc.getXmlFragment(name).toString());
                case "map" -> roots.set(name, ContentJson.of(doc.getMap(name).toJSON()));
                default -> roots.set(name, ContentJson.of(doc.getArray(name).toJSON()));
            }
        });
        return out;
    }
}
