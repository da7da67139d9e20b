package dev.quire.cli.yjs;

import dev.quire.cli.CliException;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code quire yjs merge}: {@code Y.mergeUpdates} (or {@code mergeUpdatesV2}) of the given updates. */
@Command(name = "merge",
        description = {
            "Merge updates into one.",
            "The same bytes as yjs mergeUpdates (mergeUpdatesV2 with --v2).",
            "With --base64, standard input holds one base64 update per line (use base64 -w0)."})
final class MergeCommand extends YjsSubcommand {
    @Mixin
    FormatOption format;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "The updates, in order; standard input when none is given, or for -.")
    List<String> files = new ArrayList<>();

    @Override
    void run() {
        List<Input> inputs = readInputs(files);
        UpdateFormat f = format.format();
        // decode each input first, so an error names the file it is in (merge would only say where in which update)
        for (Input input : inputs) {
            try {
                Updates.decode(input.bytes(), f);
            } catch (MalformedUpdateException e) {
                throw malformed(input, f, e);
            }
        }
        List<byte[]> updates = inputs.stream().map(Input::bytes).toList();
        byte[] merged;
        try {
            merged = f == UpdateFormat.V1 ? Updates.mergeUpdates(updates) : Updates.mergeUpdatesV2(updates);
        } catch (MalformedUpdateException e) {
            throw CliException.input("the updates cannot be merged: " + e.getMessage());
        }
        writeBinary(merged);
    }
}
