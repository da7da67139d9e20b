package dev.quire.yjs.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of every decoding entry point with mutated, truncated and spliced real updates (v1 and v2,
 * taken from the yjs-generated corpus): each call either succeeds or throws
 * {@link MalformedUpdateException}, finishes within a time bound and allocates within a memory bound.
 */
class MalformedInputProperties {
    private static final long TIME_LIMIT_MS = 2_000;
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-worker");
        t.setDaemon(true);
        return t;
    });
    private static List<byte[]> seedsV1;
    private static List<byte[]> seedsV2;

    record Input(byte[] bytes, UpdateFormat format) {
        @Override
        public String toString() {
            return format + " " + Base64.getEncoder().encodeToString(bytes);
        }
    }

    private static synchronized void loadSeeds() throws Exception {
        if (seedsV1 != null) {
            return;
        }
        Path p = Path.of(System.getProperty("quire.conformance.dir", "target/conformance"), "updates-corpus.jsonl");
        ObjectMapper json = new ObjectMapper();
        seedsV1 = new ArrayList<>();
        seedsV2 = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null && n++ < 60) {
                JsonNode c = json.readTree(line);
                seedsV1.add(Base64.getDecoder().decode(c.get("merge").asText()));
                seedsV2.add(Base64.getDecoder().decode(c.get("mergeV2").asText()));
                JsonNode u = c.get("updates");
                seedsV1.add(Base64.getDecoder().decode(u.get(u.size() - 1).asText()));
                seedsV2.add(Base64.getDecoder().decode(c.get("updatesV2").get(0).asText()));
            }
        }
    }

    @Provide
    Arbitrary<Input> mutatedUpdates() throws Exception {
        loadSeeds();
        Arbitrary<UpdateFormat> format = Arbitraries.of(UpdateFormat.values());
        return format.flatMap(f -> {
            List<byte[]> seeds = f == UpdateFormat.V1 ? seedsV1 : seedsV2;
            Arbitrary<byte[]> seed = Arbitraries.of(seeds);
            Arbitrary<byte[]> mutated = Arbitraries.oneOf(
                    Combinators.combine(seed, Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 255))
                            .as((s, pos, val) -> flip(s, pos, val)),
                    Combinators.combine(seed, Arbitraries.integers().between(0, 1 << 20)).as(MalformedInputProperties::truncate),
                    Combinators.combine(seed, seed, Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(0, 1 << 20))
                            .as(MalformedInputProperties::splice),
                    Combinators.combine(seed, Arbitraries.integers().between(0, 1 << 20), Arbitraries.bytes().array(byte[].class).ofMaxSize(12))
                            .as(MalformedInputProperties::insert),
                    Combinators.combine(seed, Arbitraries.integers().between(0, 1 << 20), Arbitraries.integers().between(1, 16))
                            .as(MalformedInputProperties::delete),
                    Combinators.combine(seed, Arbitraries.integers().between(0, 1 << 20), Arbitraries.of(0x7f, 0xff, 0x80, 0x00, 0x0a, 0x40))
                            .as((s, pos, val) -> flip(s, pos, val)),
                    Arbitraries.bytes().array(byte[].class).ofMaxSize(64));
            return mutated.map(b -> new Input(b, f));
        });
    }

    private static byte[] flip(byte[] s, int pos, int val) {
        byte[] c = s.clone();
        if (c.length > 0) {
            c[pos % c.length] = (byte) val;
        }
        return c;
    }

    private static byte[] truncate(byte[] s, int len) {
        return Arrays.copyOf(s, s.length == 0 ? 0 : len % s.length);
    }

    private static byte[] splice(byte[] a, byte[] b, int cutA, int cutB) {
        int ca = a.length == 0 ? 0 : cutA % a.length;
        int cb = b.length == 0 ? 0 : cutB % b.length;
        byte[] out = Arrays.copyOf(a, ca + (b.length - cb));
        System.arraycopy(b, cb, out, ca, b.length - cb);
        return out;
    }

    private static byte[] insert(byte[] s, int pos, byte[] extra) {
        int p = s.length == 0 ? 0 : pos % s.length;
        byte[] out = new byte[s.length + extra.length];
        System.arraycopy(s, 0, out, 0, p);
        System.arraycopy(extra, 0, out, p, extra.length);
        System.arraycopy(s, p, out, p + extra.length, s.length - p);
        return out;
    }

    private static byte[] delete(byte[] s, int pos, int len) {
        if (s.length == 0) {
            return s;
        }
        int p = pos % s.length;
        int l = Math.min(len, s.length - p);
        byte[] out = new byte[s.length - l];
        System.arraycopy(s, 0, out, 0, p);
        System.arraycopy(s, p + l, out, p, s.length - p - l);
        return out;
    }

    /** Runs {@code op} on a worker thread: it must finish in time, allocate boundedly and throw nothing but MalformedUpdateException. */
    private static void bounded(Input in, Consumer<Input> op) throws Exception {
        Future<Long> f = WORKER.submit(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            try {
                op.accept(in);
            } catch (MalformedUpdateException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
            return mx.getCurrentThreadAllocatedBytes() - before;
        });
        long allocated;
        try {
            allocated = f.get(TIME_LIMIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("did not finish within " + TIME_LIMIT_MS + " ms: " + in);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("threw " + e.getCause() + " for " + in, e.getCause());
        }
        // generous: decoding builds objects per byte, but never proportional to a length prefix
        long limit = 64L * 1024 * 1024 + 4000L * in.bytes().length;
        assertThat(allocated).as("bytes allocated for a %d-byte input", in.bytes().length).isLessThan(limit);
    }

    @Property(tries = 10000)
    void decodeAndValidateFailOnlyWithMalformedUpdateException(@ForAll("mutatedUpdates") Input in) throws Exception {
        bounded(in, i -> {
            Updates.decode(i.bytes(), i.format());
        });
        bounded(in, i -> Updates.validate(i.bytes(), i.format()));
    }

    @Property(tries = 4000)
    void mergeStateVectorDiffAndConvertFailOnlyWithMalformedUpdateException(@ForAll("mutatedUpdates") Input in) throws Exception {
        bounded(in, i -> {
            byte[] seed = i.format() == UpdateFormat.V1 ? seedsV1.get(0) : seedsV2.get(0);
            if (i.format() == UpdateFormat.V1) {
                Updates.mergeUpdates(List.of(seed, i.bytes()));
            } else {
                Updates.mergeUpdatesV2(List.of(seed, i.bytes()));
            }
        });
        bounded(in, i -> {
            if (i.format() == UpdateFormat.V1) {
                Updates.encodeStateVectorFromUpdate(i.bytes());
                Updates.convertUpdateFormatV1ToV2(i.bytes());
            } else {
                Updates.encodeStateVectorFromUpdateV2(i.bytes());
                Updates.convertUpdateFormatV2ToV1(i.bytes());
            }
        });
        bounded(in, i -> {
            byte[] sv = Updates.encodeStateVector(java.util.Map.of(1L, 3L));
            if (i.format() == UpdateFormat.V1) {
                Updates.diffUpdate(i.bytes(), sv);
                Updates.diffUpdate(seedsV1.get(1), i.bytes()); // mutated bytes as a state vector
            } else {
                Updates.diffUpdateV2(i.bytes(), sv);
            }
        });
    }

    @AfterContainer
    static void stopWorker() {
        WORKER.shutdownNow();
    }
}
