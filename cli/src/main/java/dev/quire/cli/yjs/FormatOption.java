package dev.quire.cli.yjs;

import dev.quire.yjs.codec.UpdateFormat;
import picocli.CommandLine.Option;

/** The {@code --v2} option of the commands that read (and write) updates of one format. */
final class FormatOption {
    @Option(names = "--v2", description = "Updates are in the v2 encoding (default: v1).")
    boolean v2;

    UpdateFormat format() {
        return v2 ? UpdateFormat.V2 : UpdateFormat.V1;
    }

    /** {@code v1} or {@code v2}, as printed in messages and JSON. */
    static String name(UpdateFormat format) {
        return format == UpdateFormat.V1 ? "v1" : "v2";
    }
}
