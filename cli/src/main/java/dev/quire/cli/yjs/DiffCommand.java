package dev.quire.cli.yjs;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code quire yjs diff}: {@code Y.diffUpdate} (or {@code diffUpdateV2}): what an update holds beyond a state vector. */
@Command(name = "diff",
        description = {
            "Print what an update holds beyond a state vector.",
            "The same bytes as yjs diffUpdate (diffUpdateV2 with --v2)."})
final class DiffCommand extends YjsSubcommand {
    @Mixin
    FormatOption format;

    @Parameters(arity = "0..1", paramLabel = "UPDATE_FILE", description = "The update; standard input when absent or -.")
    String file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    StateVectorSource stateVector;

    /** Where the state vector comes from: a file, or base64 on the command line. */
    static final class StateVectorSource {
        @Option(names = "--state-vector", paramLabel = "SV_FILE",
                description = "File with the encoded state vector (base64 text with --base64; - for standard input).")
        String file;

        @Option(names = "--state-vector-base64", paramLabel = "B64", description = "The encoded state vector as base64.")
        String base64;
    }

    @Override
    void run() {
        if (stateVector.file != null && isStdin(stateVector.file) && isStdin(file)) {
            throw new ParameterException(spec.commandLine(),
                    "the update and the state vector cannot both come from standard input; name UPDATE_FILE");
        }
        Input sv = stateVector.file != null ? read(stateVector.file) : fromBase64("--state-vector-base64", stateVector.base64);
        Input update = read(file);
        try {
            Updates.decodeStateVector(sv.bytes());
        } catch (MalformedUpdateException e) {
            throw malformed(sv, "state vector", e);
        }
        UpdateFormat f = format.format();
        byte[] diff;
        try {
            diff = f == UpdateFormat.V1 ? Updates.diffUpdate(update.bytes(), sv.bytes()) : Updates.diffUpdateV2(update.bytes(), sv.bytes());
        } catch (MalformedUpdateException e) {
            throw malformed(update, f, e);
        }
        writeBinary(diff);
    }
}
