package dev.quire.persister;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A persister in a JVM of its own ({@link PersisterMain} on the test class path), so a test can kill it for
 * real. Its output goes to a log file; {@link #awaitAssigned} waits for its first partition assignment.
 */
final class PersisterProcess {
    private final Process process;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread reader;

    private PersisterProcess(Process process, Path log) {
        this.process = process;
        this.reader = new Thread(() -> copy(log), "persister-process-output");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /** Starts {@code java -cp <test class path> dev.quire.persister.PersisterMain} with {@code env}. */
    static PersisterProcess start(Map<String, String> env, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a quick start matters more here than peak speed: this JVM lives a second or two
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(PersisterMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Files.createDirectories(log.getParent());
        return new PersisterProcess(pb.start(), log);
    }

    /** The class path of this test JVM (failsafe's real one when it runs us from a manifest-only jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }

    private void copy(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                if (line.contains("assigned partitions")) {
                    assigned.countDown();
                }
            }
        } catch (IOException e) {
            // the process died: its output ends here
        }
    }

    boolean awaitAssigned(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("persister process " + process.pid() + " survived SIGKILL");
        }
        reader.join(5_000);
    }

    /** SIGTERM (the shutdown hook closes the persister), then waits; returns the exit code. */
    int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("persister process " + process.pid() + " did not stop within " + timeout + " of SIGTERM");
        }
        reader.join(5_000);
        return process.exitValue();
    }
}
