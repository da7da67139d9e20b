package dev.quire.cli.yjs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.cli.CliException;
import dev.quire.cli.Io;
import dev.quire.cli.Quire;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.codec.UpdateFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code quire yjs} subcommand shares: the {@code --base64} and {@code -o} options,
 * reading inputs from files or standard input, writing output, and naming the input a
 * {@link MalformedUpdateException} came from.
 */
abstract class YjsSubcommand implements Callable<Integer> {
    /** The file name that stands for standard input. */
    static final String STDIN = "-";
    /** How error messages name standard input. */
    static final String STDIN_NAME = "<stdin>";
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    @Spec
    CommandSpec spec;

    @Option(names = "--base64",
            description = "Inputs are base64 text (whitespace ignored); binary output is written as base64 and a newline.")
    boolean base64;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the output to FILE instead of standard output.")
    Path output;

    /** Does the command's work; user errors are thrown as {@link CliException}. */
    abstract void run();

    @Override
    public final Integer call() {
        run();
        return Quire.EXIT_OK;
    }

    private Io io() {
        return ((Quire) spec.root().userObject()).io();
    }

    // ---- input -------------------------------------------------------------------------------

    /** Reads {@code file}, or standard input when it is {@code null} or {@code -}, decoding base64 with {@code --base64}. */
    Input read(String file) {
        Input raw = readRaw(file);
        return base64 ? fromBase64(raw.name(), new String(raw.bytes(), StandardCharsets.UTF_8)) : raw;
    }

    /** With {@code --base64}: one update per non-blank line of standard input, named {@code <stdin> line N}. */
    List<Input> readStdinLines() {
        String text = new String(readRaw(STDIN).bytes(), StandardCharsets.UTF_8);
        List<Input> inputs = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                inputs.add(fromBase64(STDIN_NAME + " line " + (i + 1), lines[i]));
            }
        }
        return inputs;
    }

    /** The named inputs in order (standard input when none; with --base64 one update per line of it). */
    List<Input> readInputs(List<String> files) {
        List<String> names = files.isEmpty() ? List.of(STDIN) : files;
        if (names.stream().filter(YjsSubcommand::isStdin).count() > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "standard input (-) can be given only once");
        }
        List<Input> inputs = new ArrayList<>();
        for (String name : names) {
            if (isStdin(name) && base64) {
                inputs.addAll(readStdinLines());
            } else {
                inputs.add(read(name));
            }
        }
        return inputs;
    }

    static boolean isStdin(String file) {
        return file == null || STDIN.equals(file);
    }

    private Input readRaw(String file) {
        if (isStdin(file)) {
            try {
                return new Input(STDIN_NAME, io().stdin().readAllBytes());
            } catch (IOException e) {
                throw CliException.io(STDIN_NAME + ": cannot read: " + describe(e));
            }
        }
        try {
            return new Input(file, Files.readAllBytes(Path.of(file)));
        } catch (IOException e) {
            throw CliException.io(file + ": cannot read: " + describe(e));
        }
    }

    /** Decodes base64 (standard or URL-safe alphabet, padding optional) after dropping all whitespace. */
    static Input fromBase64(String name, String text) {
        String compact = WHITESPACE.matcher(text).replaceAll("");
        boolean urlSafe = compact.indexOf('-') >= 0 || compact.indexOf('_') >= 0;
        try {
            return new Input(name, (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(compact));
        } catch (IllegalArgumentException e) {
            throw CliException.input(name + ": not valid base64: " + base64Problem(text, e));
        }
    }

    /** Names the first character outside the base64 alphabets (the JDK gives it in hex), else the JDK's reason. */
    private static String base64Problem(String text, IllegalArgumentException e) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = Character.isWhitespace(c) || c == '=' || c == '+' || c == '/' || c == '-' || c == '_'
                    || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!allowed) {
                String shown = c >= 0x20 && c < 0x7F ? "'" + c + "'" : String.format("U+%04X", (int) c);
                return "character " + shown + " at position " + i;
            }
        }
        return e.getMessage();
    }

    // ---- errors ------------------------------------------------------------------------------

    /** {@code a.bin: not a valid v1 update: <reason and byte offset>}. */
    static CliException malformed(Input input, UpdateFormat format, MalformedUpdateException e) {
        return malformed(input, FormatOption.name(format) + " update", e);
    }

    /** {@code a.bin: not a valid <what>: <reason and byte offset>}. */
    static CliException malformed(Input input, String what, MalformedUpdateException e) {
        return CliException.input(input.name() + ": not a valid " + what + ": " + e.getMessage());
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    // ---- output ------------------------------------------------------------------------------

    /** Writes an update or state vector: raw bytes, or base64 and a newline with {@code --base64}. */
    void writeBinary(byte[] bytes) {
        if (base64) {
            writeText(Base64.getEncoder().encodeToString(bytes) + "\n");
        } else {
            writeBytes(bytes);
        }
    }

    /** Writes pretty JSON and a newline. */
    void writeJson(JsonNode json) {
        writeText(JsonText.pretty(json) + "\n");
    }

    private void writeText(String text) {
        writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private void writeBytes(byte[] bytes) {
        if (output != null) {
            try {
                Files.write(output, bytes);
            } catch (IOException e) {
                throw CliException.io(output + ": cannot write: " + describe(e));
            }
            return;
        }
        try {
            io().stdout().write(bytes);
            io().stdout().flush();
        } catch (IOException e) {
            throw CliException.io("<stdout>: cannot write: " + describe(e));
        }
    }
}
