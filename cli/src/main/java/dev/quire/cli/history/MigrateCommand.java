package dev.quire.cli.history;

import dev.quire.core.postgres.Database;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;

/**
 * {@code quire migrate}: brings the schema of {@code QUIRE_DATABASE_*} up to date and exits. Every Quire process
 * migrates at start too; a deployment runs this once before them (docker-compose's migrations service), so the
 * fronts and persisters start against a ready schema and a migration failure is reported in one place.
 */
@Command(name = "migrate",
        description = {"Migrate the PostgreSQL schema (QUIRE_DATABASE_URL, _USER, _PASSWORD, _SCHEMA) to this version and exit."})
public final class MigrateCommand extends DatabaseCommand {
    @Override
    int run(Database database) {
        PrintStream out = new PrintStream(io().stdout(), true, StandardCharsets.UTF_8);
        out.println("schema migrated");
        return dev.quire.cli.Quire.EXIT_OK;
    }
}
