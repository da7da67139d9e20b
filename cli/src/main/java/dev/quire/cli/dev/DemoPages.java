package dev.quire.cli.dev;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo pages of {@code quire dev} (web/: a Tiptap editor on Yjs and a history slider), bundled from their npm
 * packages by {@code web/build.mjs} when the bundle is missing or older than its sources. Building needs Node.js
 * and npm; without them quire dev runs without the pages and says so.
 */
final class DemoPages {
    private DemoPages() {
    }

    /** The directory to serve (web/dist), built if needed; null when it cannot be had. */
    static Path prepare(Path web, PrintStream out) throws IOException, InterruptedException {
        Path dist = web.resolve("dist");
        if (!Files.exists(web.resolve("package.json"))) {
            return null;
        }
        if (upToDate(web, dist)) {
            return dist;
        }
        if (!onPath("npm") || !onPath("node")) {
            out.println("quire dev: the demo pages (web/) need Node.js and npm to build; running without them");
            return null;
        }
        out.println("quire dev: building the demo pages (web/: npm ci, esbuild)");
        if (!Files.exists(web.resolve("node_modules")) || newer(web.resolve("package-lock.json"), web.resolve("node_modules"))) {
            if (!run(web, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")) {
                out.println("quire dev: npm ci in web/ failed (output above); running without the demo pages");
                return null;
            }
        }
        if (!run(web, "node", "build.mjs")) {
            out.println("quire dev: building web/ failed (output above); running without the demo pages");
            return null;
        }
        return dist;
    }

    private static boolean upToDate(Path web, Path dist) throws IOException {
        Path built = dist.resolve("editor.js");
        if (!Files.exists(built)) {
            return false;
        }
        FileTime at = Files.getLastModifiedTime(built);
        try (Stream<Path> sources = Stream.concat(Files.walk(web.resolve("src")),
                Stream.of("index.html", "history.html", "quire.css", "build.mjs", "package-lock.json").map(web::resolve))) {
            return sources.filter(Files::isRegularFile).noneMatch(p -> {
                try {
                    return Files.getLastModifiedTime(p).compareTo(at) > 0;
                } catch (IOException e) {
                    return true;
                }
            });
        }
    }

    private static boolean newer(Path a, Path b) throws IOException {
        return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    /** Runs a command in {@code dir}, its output passed through to this process. */
    private static boolean run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        return p.waitFor() == 0;
    }
}
