package dev.quire.cli.yjs;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.DecodedUpdate;
import dev.quire.yjs.codec.UpdateFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code quire yjs decode}: prints an update as JSON (see {@link UpdateJson} for the shape). */
@Command(name = "decode",
        description = {
            "Print an update as JSON: structs, clients' clock ranges, delete set.",
            "Values JSON cannot hold are tagged: {\"$undefined\":true}, {\"$number\":\"NaN\"}, {\"$bigint\":\"1\"}, {\"$bytes\":\"<base64>\"}."})
final class DecodeCommand extends YjsSubcommand {
    @Mixin
    FormatOption format;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The update; standard input when absent or -.")
    String file;

    @Override
    void run() {
        Input input = read(file);
        UpdateFormat f = format.format();
        DecodedUpdate update;
        try {
            update = Updates.decode(input.bytes(), f);
        } catch (MalformedUpdateException e) {
            throw malformed(input, f, e);
        }
        writeJson(UpdateJson.render(update, f));
    }
}
