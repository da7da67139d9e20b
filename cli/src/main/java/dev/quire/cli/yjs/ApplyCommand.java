package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.cli.CliException;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.model.YDoc;
import dev.quire.yjs.model.YText;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quire yjs apply}: applies updates in order to a fresh document and prints its state and content. */
@Command(name = "apply",
        description = {
            "Apply updates, in the given order, to a fresh document and print (as JSON) its encoded state",
            "(v1 and v2, base64), its state vector, whether structs or deletes are still pending, and the",
            "content of the named root types. The same result as yjs applyUpdate on a new Y.Doc."})
final class ApplyCommand extends YjsSubcommand {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Mixin
    FormatOption format;

    @Option(names = "--no-gc", description = "Keep deleted content (Y.Doc {gc: false}); default: garbage-collect as yjs does.")
    boolean noGc;

    @Option(names = "--client-id", paramLabel = "N", description = "The document's client id (default ${DEFAULT-VALUE}).", defaultValue = "0")
    long clientId;

    @Option(names = "--text", paramLabel = "NAME", description = "Print root NAME as Y.Text: its string and delta.")
    List<String> texts = new ArrayList<>();

    @Option(names = "--map", paramLabel = "NAME", description = "Print root NAME as Y.Map (toJSON).")
    List<String> maps = new ArrayList<>();

    @Option(names = "--array", paramLabel = "NAME", description = "Print root NAME as Y.Array (toJSON).")
    List<String> arrays = new ArrayList<>();

    @Option(names = "--xml", paramLabel = "NAME", description = "Print root NAME as Y.XmlFragment (its XML string).")
    List<String> xmls = new ArrayList<>();

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "The updates, in order; standard input when none is given, or for -.")
    List<String> files = new ArrayList<>();

    @Override
    void run() {
        UpdateFormat f = format.format();
        YDoc doc = new YDoc(clientId, !noGc);
        for (Input input : readInputs(files)) {
            try {
                doc.applyUpdate(input.bytes(), f, null);
            } catch (MalformedUpdateException e) {
                throw malformed(input, f, e);
            }
        }
        ObjectNode out = NODES.objectNode();
        out.put("state", Base64.getEncoder().encodeToString(doc.encodeStateAsUpdate(null)));
        out.put("stateV2", Base64.getEncoder().encodeToString(doc.encodeStateAsUpdateV2(null)));
        ObjectNode sv = out.putObject("stateVector");
        doc.stateVector().forEach((client, clock) -> sv.put(Long.toString(client), clock));
        out.put("pendingStructs", doc.hasPendingStructs());
        out.put("pendingDeletes", doc.hasPendingDeletes());
        ObjectNode roots = out.putObject("roots");
        try {
            for (String name : texts) {
                YText t = doc.getText(name);
                ObjectNode text = roots.putObject(name);
                text.put("string", t.toString());
                List<Object> delta = new ArrayList<>(t.toDelta());
                text.set("delta", json(delta));
            }
            for (String name : maps) {
                roots.set(name, json(doc.getMap(name).toJSON()));
            }
            for (String name : arrays) {
                roots.set(name, json(doc.getArray(name).toJSON()));
            }
            for (String name : xmls) {
                roots.put(name, doc.getXmlFragment(name).toString());
            }
        } catch (IllegalStateException e) {
            throw CliException.input("cannot read a root type: " + e.getMessage());
        }
        writeJson(out);
    }

    /** JSON of a content value; nested types as their JSON, subdocuments as {@code {"$doc": {guid, opts}}}. */
    private static JsonNode json(Object v) {
        return ContentJson.of(v);
    }
}
