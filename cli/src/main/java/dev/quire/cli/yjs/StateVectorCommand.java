package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quire yjs state-vector}: {@code Y.encodeStateVectorFromUpdate} (or its v2 form), encoded or as JSON. */
@Command(name = "state-vector",
        description = {
            "Print the state vector an update covers.",
            "The same bytes as yjs encodeStateVectorFromUpdate (encodeStateVectorFromUpdateV2 with --v2)."})
final class StateVectorCommand extends YjsSubcommand {
    @Mixin
    FormatOption format;

    @Option(names = "--json", description = "Print {\"client\": clock, ...} instead of the encoded state vector.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The update; standard input when absent or -.")
    String file;

    @Override
    void run() {
        Input input = read(file);
        UpdateFormat f = format.format();
        byte[] sv;
        try {
            sv = f == UpdateFormat.V1 ? Updates.encodeStateVectorFromUpdate(input.bytes())
                    : Updates.encodeStateVectorFromUpdateV2(input.bytes());
        } catch (MalformedUpdateException e) {
            throw malformed(input, f, e);
        }
        if (!json) {
            writeBinary(sv);
            return;
        }
        ObjectNode clocks = JsonNodeFactory.instance.objectNode();
        Updates.decodeStateVector(sv).forEach((client, clock) -> clocks.put(Long.toString(client), clock));
        writeJson(clocks);
    }
}
