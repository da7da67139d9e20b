package dev.quire.cli.yjs;

import picocli.CommandLine.Command;

/** {@code quire yjs}: the group of commands over encoded Yjs updates; it does nothing by itself. */
@Command(name = "yjs",
        description = {
            "Inspect and transform encoded Yjs updates, byte for byte as yjs 13.6 does.",
            "Inputs are files, or standard input when no file or - is given."},
        subcommands = {DecodeCommand.class, MergeCommand.class, DiffCommand.class, StateVectorCommand.class,
            ConvertCommand.class, ApplyCommand.class})
public final class YjsCommand {
}
