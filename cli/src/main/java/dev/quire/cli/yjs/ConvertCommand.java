package dev.quire.cli.yjs;

import dev.quire.cli.CliException;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code quire yjs convert}: {@code Y.convertUpdateFormatV1ToV2} or {@code V2ToV1}. */
@Command(name = "convert",
        description = {
            "Convert an update between the v1 and v2 encodings.",
            "The same bytes as yjs convertUpdateFormatV1ToV2 and convertUpdateFormatV2ToV1."})
final class ConvertCommand extends YjsSubcommand {
    @Option(names = "--to", required = true, paramLabel = "v1|v2",
            description = "The encoding to write; the input is in the other one.")
    UpdateFormat to;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The update; standard input when absent or -.")
    String file;

    @Override
    void run() {
        Input input = read(file);
        UpdateFormat from = to == UpdateFormat.V1 ? UpdateFormat.V2 : UpdateFormat.V1;
        byte[] converted;
        try {
            converted = to == UpdateFormat.V2 ? Updates.convertUpdateFormatV1ToV2(input.bytes())
                    : Updates.convertUpdateFormatV2ToV1(input.bytes());
        } catch (MalformedUpdateException e) {
            if (e.offset() < 0) { // decoded, but holds a value the other encoding cannot (e.g. an undefined embed in v1 JSON)
                throw CliException.input(input.name() + ": cannot be written as " + FormatOption.name(to) + ": " + e.getMessage());
            }
            throw malformed(input, from, e);
        }
        writeBinary(converted);
    }
}
