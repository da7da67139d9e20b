package dev.quire.cli;

import dev.quire.core.config.Env;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs {@code quire} in-process over in-memory standard streams (test harness). */
public final class QuireRunner {
    private QuireRunner() {
    }

    /** What one run left behind: exit code, standard output bytes and standard error text. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** Standard output as UTF-8 text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs with empty standard input. */
    public static Result run(String... args) {
        return runWithStdin(new byte[0], args);
    }

    /** Runs with {@code stdin} as UTF-8 text on standard input. */
    public static Result runWithStdin(String stdin, String... args) {
        return runWithStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    public static Result runWithStdin(byte[] stdin, String... args) {
        return run(stdin, new Env(java.util.Map.of()), false, args);
    }

    /** Runs with settings read from {@code env} (never the process environment), empty standard input, no terminal. */
    public static Result runWithEnv(Env env, String... args) {
        return run(new byte[0], env, false, args);
    }

    /** Runs with settings read from {@code env}; {@code terminal} says whether standard error is shown as a terminal. */
    public static Result run(byte[] stdin, Env env, boolean terminal, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        CommandLine cmd = Quire.commandLine(new Io(new ByteArrayInputStream(stdin), out, err, env, terminal));
        int exit = cmd.execute(args);
        cmd.getOut().flush();
        cmd.getErr().flush();
        return new Result(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }
}
