package dev.quire.cli.history;

import dev.quire.cli.CliException;
import dev.quire.cli.Io;
import dev.quire.cli.Quire;
import dev.quire.core.QuireException;
import dev.quire.core.config.ConfigException;
import dev.quire.core.postgres.Database;
import dev.quire.core.postgres.DatabaseSettings;
import dev.quire.core.postgres.DocumentReplay;
import dev.quire.persister.Rebuild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands over the PostgreSQL projection share: the database opened from the {@code
 * QUIRE_DATABASE_*} settings of {@link Io#env()} (and the schema migrated, as every Quire process does),
 * the mapping of what a user can act on to one-line errors, and writing the result.
 *
 * <p>Exit codes: a wrong setting, a database that cannot be reached (the message names {@code
 * QUIRE_DATABASE_URL}), an unknown document or a point before its first update give
 * {@link Quire#EXIT_INPUT}; a database failing while it is read, or a file that cannot be written, gives
 * {@link Quire#EXIT_IO}.
 */
abstract class DatabaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Checks the options before the database is opened; throws {@code ParameterException}. */
    void check() {
    }

    /** Does the command's work over an open database; returns the exit code. */
    abstract int run(Database database);

    @Override
    public final Integer call() {
        check();
        try (Database database = Database.open(new DatabaseSettings(io().env()))) {
            return run(database);
        } catch (ConfigException | DocumentReplay.NotFoundException | Rebuild.UnknownDocumentException e) {
            throw CliException.input(oneLine(e.getMessage()));
        } catch (QuireException e) {
            throw CliException.io(oneLine(e.getMessage()));
        }
    }

    final Io io() {
        return ((Quire) spec.root().userObject()).io();
    }

    /** Messages of drivers may span lines; an error is one line on standard error. */
    static String oneLine(String message) {
        return message == null ? "failed" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Writes {@code bytes} to {@code file}, or to standard output when it is null. */
    final void write(Path file, byte[] bytes) {
        if (file != null) {
            try {
                Files.write(file, bytes);
            } catch (IOException e) {
                throw CliException.io(file + ": cannot write: " + e.getMessage());
            }
            return;
        }
        try {
            io().stdout().write(bytes);
            io().stdout().flush();
        } catch (IOException e) {
            throw CliException.io("<stdout>: cannot write: " + e.getMessage());
        }
    }

    final void write(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A line on standard error: notes that are not the result. */
    final void note(String line) {
        try {
            io().stderr().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            io().stderr().flush();
        } catch (IOException e) {
            // standard error is gone: nothing left to tell
        }
    }
}
