package dev.quire.cli;

import dev.quire.cli.history.HistoryCommand;
import dev.quire.cli.history.MigrateCommand;
import dev.quire.cli.history.RebuildCommand;
import dev.quire.cli.history.ReplayCommand;
import dev.quire.cli.yjs.YjsCommand;
import dev.quire.yjs.MalformedUpdateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The root {@code quire} command: it holds the subcommands, the standard streams they run against
 * and the mapping of user errors to one line on standard error and an exit code.
 *
 * <pre>{@code
 * // in a test: run "quire yjs state-vector --json" over in-memory streams
 * var out = new ByteArrayOutputStream();
 * var err = new ByteArrayOutputStream();
 * int exit = Quire.commandLine(new Io(new ByteArrayInputStream(update), out, err))
 *         .execute("yjs", "state-vector", "--json");
 * }</pre>
 */
@Command(name = "quire",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = Quire.Version.class,
        description = "Operate Quire, the Yjs collaborative-editing backend.",
        subcommands = {dev.quire.cli.dev.DevCommand.class, YjsCommand.class, ServerCommand.class, PersisterCommand.class, ReplayCommand.class, HistoryCommand.class, RebuildCommand.class, MigrateCommand.class, ConfigCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a file, stream or the database cannot be read or written; rebuild: a document failed",
            "2:invalid input or arguments (a malformed update, bad base64, an unknown document, a time or offset before "
                    + "its first update), or a setting that is wrong or names a service that cannot be reached",
            "10-16:quire server, Redis (QUIRE_REDIS_*) at start: 10 unreachable, 11 password missing, 12 password rejected, "
                    + "13 plain text to a TLS port, 14 TLS to a plain-text port, 15 certificate not trusted, 16 other"})
public final class Quire {
    /** Exit code: the command did what was asked. */
    public static final int EXIT_OK = 0;
    /** Exit code: a file, stream or the database cannot be read or written; a rebuild left a document failed. */
    public static final int EXIT_IO = 1;
    /**
     * Exit code: input is not what the command expects, the arguments are wrong (picocli's usage code), or a
     * setting is wrong or names a service that cannot be reached (the message names the variable).
     */
    public static final int EXIT_INPUT = 2;

    private final Io io;

    public Quire(Io io) {
        this.io = io;
    }

    /** The streams this command line runs against. */
    public Io io() {
        return io;
    }

    public static void main(String[] args) {
        System.exit(commandLine(Io.system()).execute(args));
    }

    /**
     * A command line over {@code io}: help and error text go to its stdout and stderr as UTF-8,
     * enum options accept any case ({@code --to v2}), and user errors are mapped to exit codes.
     */
    public static CommandLine commandLine(Io io) {
        CommandLine cmd = new CommandLine(new Quire(io));
        cmd.setOut(utf8Writer(io.stdout()));
        cmd.setErr(utf8Writer(io.stderr()));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setExecutionExceptionHandler(Quire::handleExecutionException);
        return cmd;
    }

    private static PrintWriter utf8Writer(OutputStream out) {
        return new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }

    /** Prints a user error as {@code quire yjs decode: <message>}; anything else is a bug and keeps its stack trace. */
    private static int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) throws Exception {
        String command = cmd.getCommandSpec().qualifiedName();
        if (e instanceof CliException user) {
            cmd.getErr().println(command + ": " + user.getMessage());
            return user.exitCode();
        }
        if (e instanceof MalformedUpdateException malformed) { // not attributed to an input by the command
            cmd.getErr().println(command + ": " + malformed.getMessage());
            return EXIT_INPUT;
        }
        throw e;
    }

    /** {@code quire --version}: the Maven project version, written into {@code version.properties} at build time. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (InputStream in = Quire.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"quire " + props.getProperty("version", "(unknown version)")};
        }
    }
}
