package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket limits (documents per socket, message rate, frame size) and a bad-input fuzz, on real Kafka and PostgreSQL. */
@Timeout(240)
class LimitsAndFuzzIT {
    private static final byte[] VALID_UPDATE = HexFormat.of().parseHex("0101010004010174066162f09f988000");
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    @Test
    void aSocketHoldsAtMost100DocumentsThenGetsPermissionDeniedAndStaysOpen() throws Exception {
        try (FrontServer front = it.start(); RawClient c = new RawClient("ws://127.0.0.1:" + front.port())) {
            for (int i = 0; i <= 100; i++) {
                c.send(RawClient.auth("many-" + i, "token", "4.7.0"));
            }
            byte[] denied = HocuspocusCodec.permissionDenied(Address.of("many-100"), "too-many-documents");
            int authenticated = 0;
            while (true) {
                byte[] f = c.next();
                if (Arrays.equals(f, denied)) {
                    break;
                }
                if (Arrays.equals(f, HocuspocusCodec.authenticated(Address.of("many-" + authenticated), false))) {
                    authenticated++;
                }
            }
            assertThat(authenticated).isEqualTo(100);
            // the socket still serves its documents: a CLOSE of one frees a place for another
            c.send(HocuspocusCodec.close(Address.of("many-0"), ""));
            c.send(RawClient.auth("many-100", "token", "4.7.0"));
            byte[] f;
            do {
                f = c.next();
            } while (!Arrays.equals(f, HocuspocusCodec.authenticated(Address.of("many-100"), false)));
            assertThat(c.closeCode).isNotDone();
        }
    }

    @Test
    void tooManyMessagesPerSecondCloseTheSocketWith4429() throws Exception {
        it.with("QUIRE_MAX_MESSAGES_PER_SECOND", "100"); // burst 1,000
        try (FrontServer front = it.start(); RawClient c = new RawClient("ws://127.0.0.1:" + front.port())) {
            long t0 = System.nanoTime();
            int sent = 0;
            try {
                for (; sent < 5000 && !c.closeCode.isDone(); sent++) {
                    c.send(new byte[] {0x0A}); // v4 Pong: harmless alone, but not 5,000 of them
                }
            } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                // the server closed the socket between two sends: the close code below tells why
            }
            assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4429);
            System.out.println("rate limit: closed with 4429 after " + sent + " frames in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
        // and a well-paced socket is not affected
        try (FrontServer front = it.start(); RawClient c = new RawClient("ws://127.0.0.1:" + front.port())) {
            for (int i = 0; i < 30; i++) {
                c.send(new byte[] {0x0A});
                Thread.sleep(20);
            }
            Thread.sleep(200);
            assertThat(c.closeCode).isNotDone();
        }
    }

    /** A random bad (or possibly accidentally valid) frame; the last frame of every socket is always bad. */
    private static byte[] badFrame(Random rnd, String doc) {
        Address a = Address.of(doc);
        switch (rnd.nextInt(9)) {
            case 0: { // truncated varint
                byte[] b = new byte[1 + rnd.nextInt(6)];
                Arrays.fill(b, (byte) 0xFF);
                return b;
            }
            case 1: { // unknown message type
                Lib0Writer w = new Lib0Writer();
                w.writeVarString(doc);
                w.writeVarUint(10 + rnd.nextInt(200));
                return w.toByteArray();
            }
            case 2: { // invalid update
                byte[] u = new byte[1 + rnd.nextInt(40)];
                rnd.nextBytes(u);
                return HocuspocusCodec.update(a, u);
            }
            case 3: { // mutated valid update
                byte[] u = VALID_UPDATE.clone();
                u[rnd.nextInt(u.length)] ^= (byte) (1 + rnd.nextInt(255));
                return HocuspocusCodec.update(a, u);
            }
            case 4: { // truncated valid frame
                byte[] f = HocuspocusCodec.update(a, VALID_UPDATE);
                return Arrays.copyOf(f, 1 + rnd.nextInt(f.length - 1));
            }
            case 5: { // random bytes
                byte[] b = new byte[rnd.nextInt(64)];
                rnd.nextBytes(b);
                return b;
            }
            case 6: { // mutated awareness
                byte[] f = HocuspocusCodec.awareness(a, HexFormat.of().parseHex("0101020a7b2278223a317d"));
                f[rnd.nextInt(f.length)] ^= (byte) (1 + rnd.nextInt(255));
                return f;
            }
            case 7: { // mutated sync step 1
                byte[] f = HocuspocusCodec.syncStep1(a, new byte[] {1, 5, 3});
                f[rnd.nextInt(f.length)] ^= (byte) (1 + rnd.nextInt(255));
                return f;
            }
            default: { // empty frame
                return new byte[0];
            }
        }
    }

    @Test
    void thousandsOfBadFramesGetDocumentedClosesAndAWellBehavedClientKeepsWorking() throws Exception {
        it.with("QUIRE_MAX_FRAME_BYTES", "4096").with("QUIRE_MAX_MESSAGES_PER_SECOND", "0");
        Set<Integer> allowed = Set.of(1009, 4205, 4401, 1002);
        try (FrontServer front = it.start()) {
            String url = "ws://127.0.0.1:" + front.port();
            // the well-behaved clients edit throughout
            CompletableFuture<JsonNode> good = CompletableFuture.supplyAsync(() -> {
                try {
                    return HocuspocusInteropIT.node("two-clients.mjs", url, "good-doc");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            ExecutorService pool = Executors.newFixedThreadPool(16);
            AtomicInteger frames = new AtomicInteger();
            Map<Integer, AtomicInteger> codes = new ConcurrentHashMap<>();
            List<Future<?>> runs = new ArrayList<>();
            int sockets = 120;
            for (int s = 0; s < sockets; s++) {
                int seed = s;
                runs.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    String doc = "fuzz-" + seed;
                    try (RawClient c = new RawClient(url)) {
                        try {
                            int kind = seed % 4;
                            if (kind == 0) { // pre-auth flood
                                byte[] step1 = HocuspocusCodec.syncStep1(Address.of(doc), new byte[] {0});
                                for (int i = 0; i < 1100 && !c.closeCode.isDone(); i++) {
                                    c.send(step1);
                                    frames.incrementAndGet();
                                }
                            } else if (kind == 1) { // oversize frame
                                c.send(RawClient.auth(doc, "token", "4.7.0"));
                                c.send(HocuspocusCodec.update(Address.of(doc), new byte[4096 + rnd.nextInt(4096)]));
                                frames.addAndGet(2);
                            } else { // authenticated (v4 or older) or not, then random bad frames
                                if (rnd.nextBoolean()) {
                                    c.send(RawClient.auth(doc, "token", kind == 2 ? "4.7.0" : null));
                                    frames.incrementAndGet();
                                }
                                for (int i = 0; i < 60 && !c.closeCode.isDone(); i++) {
                                    c.send(badFrame(rnd, doc));
                                    frames.incrementAndGet();
                                }
                                if (!c.closeCode.isDone()) {
                                    Lib0Writer w = new Lib0Writer();
                                    w.writeVarString(doc);
                                    w.writeVarUint(99);
                                    c.send(w.toByteArray()); // always ends with an unknown type
                                    frames.incrementAndGet();
                                }
                            }
                        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                            // a send after the server closed the socket: its close code is what counts
                        }
                        int code = c.closeCode.get(10, TimeUnit.SECONDS);
                        codes.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("a fuzz socket failed", e.getCause());
                }
            }
            pool.shutdown();
            System.out.println("fuzz: " + frames.get() + " frames on " + sockets + " sockets, close codes " + codes);
            assertThat(frames.get()).isGreaterThan(3000);
            assertThat(codes.keySet()).as(codes.toString()).isSubsetOf(allowed);
            JsonNode r = good.get(120, TimeUnit.SECONDS);
            assertThat(r.get("ok").asBoolean()).as(r.toString()).isTrue();
            assertThat(r.get("textA").asText()).isEqualTo(r.get("textB").asText());
            // and the front still serves a new client
            JsonNode late = HocuspocusInteropIT.node("read-document.mjs", url, "good-doc");
            assertThat(late.get("text").asText()).contains("hello from A", "hi from B");
        }
        // Kafka holds only valid updates: the good document's, and any fuzz frame that happened to be a valid update
        AtomicInteger goodRecords = new AtomicInteger();
        AtomicInteger invalid = new AtomicInteger();
        AtomicInteger fuzzRecords = new AtomicInteger();
        it.records((key, value) -> {
            if (key.equals("good-doc")) {
                goodRecords.incrementAndGet();
            } else {
                fuzzRecords.incrementAndGet();
            }
            try {
                Updates.validate(value, UpdateFormat.V1);
            } catch (RuntimeException e) {
                invalid.incrementAndGet();
            }
        });
        System.out.println("fuzz: Kafka records good-doc " + goodRecords + ", fuzz documents (valid by chance) " + fuzzRecords
                + ", invalid " + invalid);
        assertThat(invalid.get()).isZero();
        assertThat(goodRecords.get()).isGreaterThanOrEqualTo(3);
    }
}
