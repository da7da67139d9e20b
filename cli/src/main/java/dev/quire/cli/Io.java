package dev.quire.cli;

import dev.quire.core.config.Env;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a command line runs against: the standard streams, the environment its settings are read from
 * ({@code QUIRE_*} variables) and whether a person watches standard error on a terminal. The process's own
 * in {@link Quire#main}; byte arrays and a map in tests. Commands write their output as bytes to
 * {@code stdout} (text as UTF-8).
 *
 * @param terminal whether standard error is a terminal (progress is then redrawn in place)
 */
public record Io(InputStream stdin, OutputStream stdout, OutputStream stderr, Env env, boolean terminal) {

    /** The given streams, the process environment, and no terminal. */
    public Io(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this(stdin, stdout, stderr, Env.system(), false);
    }

    /** The process's standard input, output and error, its environment, and whether it has a console. */
    public static Io system() {
        return new Io(System.in, System.out, System.err, Env.system(), System.console() != null);
    }

    /** The same streams with settings read from {@code env}. */
    public Io withEnv(Env env) {
        return new Io(stdin, stdout, stderr, env, terminal);
    }
}
