package dev.quire.cli;

/**
 * A failure the user must fix (a file that cannot be read, input that is not what the command
 * expects). {@link Quire} prints its message as one line on standard error, after the command's
 * name, and exits with {@link #exitCode()}; never with a stack trace.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A file or stream that cannot be read or written: exit code {@link Quire#EXIT_IO}. */
    public static CliException io(String message) {
        return new CliException(Quire.EXIT_IO, message);
    }

    /** Input that is not what the command expects: exit code {@link Quire#EXIT_INPUT}. */
    public static CliException input(String message) {
        return new CliException(Quire.EXIT_INPUT, message);
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
