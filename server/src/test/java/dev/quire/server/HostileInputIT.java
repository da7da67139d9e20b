package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.HocuspocusCodec;
import dev.quire.yjs.lib0.Lib0Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Inputs that broke a front when probed as an attacker would (issue 15), sent again to a real front on real Kafka and
 * PostgreSQL: each must be refused with a clear answer while well-behaved clients of the same front go on.
 */
@Timeout(240)
class HostileInputIT {
    private final ItEnv it = new ItEnv();

    @AfterEach
    void cleanUp() throws Exception {
        it.close();
    }

    private static String url(FrontServer front) {
        return "ws://127.0.0.1:" + front.port();
    }

    private static byte[] await(RawClient c, Predicate<byte[]> p) throws InterruptedException {
        return c.await(p);
    }

    private static Predicate<byte[]> frame(byte[] expected) {
        return f -> Arrays.equals(f, expected);
    }

    private static RawClient authenticated(FrontServer front, String document) throws Exception {
        return RawClient.authenticated(url(front), document);
    }

    private static byte[] textUpdate(long client, String text) {
        return RawClient.textUpdate(client, text);
    }

    /** Edits {@code document} with a fresh client and waits for the acknowledgement: the document still works. */
    private static void editsAreStillAcknowledged(FrontServer front, String document) throws Exception {
        try (RawClient c = authenticated(front, document)) {
            c.edit(document, textUpdate(new Random().nextInt(1 << 30), "still works"));
        }
    }

    private int records() {
        AtomicInteger n = new AtomicInteger();
        it.records((k, v) -> n.incrementAndGet());
        return n.get();
    }

    @Test
    void aDocumentNameOverTheLimitGetsPermissionDeniedOnHocuspocusAnd4400OnYWebsocketAndNothingIsWritten() throws Exception {
        String name = "long-" + "x".repeat(3000);
        try (FrontServer front = it.start(); RawClient c = new RawClient(url(front))) {
            c.send(HocuspocusCodec.update(Address.of(name), textUpdate(7, "queued before the Auth")));
            c.send(RawClient.auth(name, "token", "4.7.0"));
            byte[] denied = await(c, f -> new String(f, StandardCharsets.UTF_8).contains("longer than 1024 bytes"));
            assertThat(denied).isEqualTo(HocuspocusCodec.permissionDenied(Address.of(name),
                    "the document name is longer than 1024 bytes"));
            String withNewline = "doc\nforged log line";
            c.send(RawClient.auth(withNewline, "token", "4.7.0"));
            await(c, frame(HocuspocusCodec.permissionDenied(Address.of(withNewline),
                    "the document name contains the control character U+000A")));
            assertThat(c.closeCode).as("the socket stays open for its other documents").isNotDone();

            try (RawClient plain = new RawClient(url(front) + "/yjs/" + name)) {
                assertThat(plain.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4400);
            }
            editsAreStillAcknowledged(front, "ordinary");
            assertThat(records()).as("only the ordinary edit reached Kafka").isEqualTo(1);
        }
    }

    /**
     * 5,500 nested Y.Maps (each the value of key k of the one before) and a delete of the top, as one update: the
     * deletion recursed per level and overflowed the stack, which killed the document's executor (every later task of
     * the document queued for ever) and leaked a place among the pending writes each time.
     */
    static byte[] nestedMaps(long client, int depth) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(1); // one client
        w.writeVarUint(depth);
        w.writeVarUint(client);
        w.writeVarUint(0); // first clock
        for (int i = 0; i < depth; i++) {
            w.writeUint8(0x27); // parentSub present, ContentType
            if (i == 0) {
                w.writeVarUint(1); // parent is a root type
                w.writeVarString("m");
            } else {
                w.writeVarUint(0); // parent is the item before
                w.writeVarUint(client);
                w.writeVarUint(i - 1);
            }
            w.writeVarString("k");
            w.writeVarUint(1); // YMap
        }
        w.writeVarUint(1); // delete set: one client
        w.writeVarUint(client);
        w.writeVarUint(1); // one range
        w.writeVarUint(0);
        w.writeVarUint(1);
        return w.toByteArray();
    }

    @Test
    void deeplyNestedTypesAreRefusedWithoutWedgingTheDocumentOrLeakingWriteSlots() throws Exception {
        it.with("QUIRE_MAX_PENDING_WRITES", "5");
        try (FrontServer front = it.start(); RawClient bystander = authenticated(front, "nested")) {
            for (int attack = 0; attack < 6; attack++) { // one more than the pending writes
                try (RawClient c = authenticated(front, "nested")) {
                    c.send(HocuspocusCodec.update(Address.of("nested"), nestedMaps(1000 + attack, 5_500 + attack * 800)));
                    await(c, f -> new String(f, StandardCharsets.UTF_8).contains("invalid Yjs update"));
                }
            }
            bystander.send(HocuspocusCodec.update(Address.of("nested"), textUpdate(77, "after the attacks")));
            await(bystander, frame(HocuspocusCodec.syncStatus(Address.of("nested"), true)));
            editsAreStillAcknowledged(front, "another");
            assertThat(bystander.closeCode).isNotDone();
        }
    }

    /**
     * An ordinary 1.1 MB paste: Kafka refused it (the producer's max.request.size and the broker's message limit were
     * 1 MiB against a 16 MiB frame limit) after it had been applied and broadcast, and every client was reset in a loop.
     * With the defaults the topic Quire creates and its producer take updates of QUIRE_MAX_UPDATE_BYTES (4 MiB).
     */
    @Test
    void aPasteOfMoreThanOneMebibyteIsStoredAndAcknowledgedWithTheDefaults() throws Exception {
        try (FrontServer front = it.start(); RawClient paster = authenticated(front, "paste");
             RawClient bystander = authenticated(front, "paste")) {
            byte[] paste = textUpdate(5, "p".repeat(1_100_000));
            assertThat(paste.length).isGreaterThan(1024 * 1024);
            paster.edit("paste", paste);
            bystander.await(frame(HocuspocusCodec.update(Address.of("paste"), paste)));
            assertThat(paster.closeCode).isNotDone();
            assertThat(bystander.closeCode).isNotDone();
            List<Integer> sizes = new ArrayList<>();
            it.records((k, v) -> sizes.add(v.length));
            assertThat(sizes).containsExactly(paste.length);
        }
    }

    @Test
    void anUpdateOverTheMaximumClosesItsDocumentNamingTheLimitAndIsNeitherBroadcastNorWritten() throws Exception {
        it.with("QUIRE_MAX_UPDATE_BYTES", "65536");
        try (FrontServer front = it.start(); RawClient paster = authenticated(front, "paste");
             RawClient bystander = authenticated(front, "paste")) {
            byte[] big = textUpdate(5, "p".repeat(100_000));
            paster.send(HocuspocusCodec.update(Address.of("paste"), big));
            byte[] close = await(paster, f -> new String(f, StandardCharsets.UTF_8).contains("QUIRE_MAX_UPDATE_BYTES"));
            assertThat(new String(close, StandardCharsets.UTF_8)).contains("65536 bytes");
            bystander.send(HocuspocusCodec.update(Address.of("paste"), textUpdate(6, "small")));
            // the bystander's own edit comes back (broadcast to the sender too), never the paste
            byte[] next = await(bystander, f -> f.length > 50 || Arrays.equals(f, HocuspocusCodec.syncStatus(Address.of("paste"), true)));
            assertThat(next).isEqualTo(HocuspocusCodec.syncStatus(Address.of("paste"), true));
            assertThat(bystander.received.stream().mapToInt(f -> f.length).max().orElse(0)).isLessThan(1000);
            assertThat(bystander.closeCode).as("the bystander is not reset").isNotDone();
            assertThat(records()).as("only the small edit reached Kafka").isEqualTo(1);
        }
    }

    @Test
    void aSocketThatAuthenticatesNothingIsClosedAtTheDeadlineWhateverItSends() throws Exception {
        it.with("QUIRE_AUTH_TIMEOUT", "2s");
        try (FrontServer front = it.start(); RawClient c = new RawClient(url(front))) {
            long t0 = System.nanoTime();
            while (!c.closeCode.isDone() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20)) {
                c.send(new byte[] {0x0A}); // v4 Pong: kept the socket alive for ever before
                c.send(HocuspocusCodec.update(Address.of("never"), textUpdate(3, "queued")));
                Thread.sleep(100);
            }
            assertThat(c.closeCode.get(1, TimeUnit.SECONDS)).isEqualTo(4401);
            assertThat(System.nanoTime() - t0).as("closed after the deadline, not before").isGreaterThan(TimeUnit.SECONDS.toNanos(2));
        }
    }

    @Test
    void unauthenticatedSocketsAreCappedPerAddressAndBudgeted() throws Exception {
        it.with("QUIRE_MAX_UNAUTHENTICATED_SOCKETS_PER_ADDRESS", "3").with("QUIRE_AUTH_TIMEOUT", "120s")
                .with("QUIRE_MAX_PREAUTH_BYTES", Integer.toString(1024 * 1024)).with("QUIRE_MAX_MESSAGES_PER_SECOND", "0");
        try (FrontServer front = it.start()) {
            // a frame larger than an Auth could be, before any Auth: 1009
            try (RawClient c = new RawClient(url(front))) {
                c.send(HocuspocusCodec.update(Address.of("pre"), new byte[200 * 1024]));
                assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
            }
            // the front's budget for frames waiting for their Auth: 600 KB fit, 600 KB more do not
            byte[] chunk = HocuspocusCodec.update(Address.of("pre"), new byte[100 * 1024]);
            try (RawClient first = new RawClient(url(front)); RawClient second = new RawClient(url(front))) {
                for (int i = 0; i < 6; i++) {
                    first.send(chunk);
                }
                // the first's frames are queued on the front before the second sends, so the second is the one over
                long queued = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (ItEnv.metric(front, "quire_preauth_bytes") < 6.0 * chunk.length && System.nanoTime() < queued) {
                    Thread.sleep(20);
                }
                assertThat(ItEnv.metric(front, "quire_preauth_bytes")).isEqualTo(6.0 * chunk.length);
                try {
                    for (int i = 0; i < 6; i++) {
                        second.send(chunk);
                    }
                } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                    // closed between two sends: the close code tells why
                }
                assertThat(second.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4205);
                assertThat(first.closeCode).isNotDone();
            }
            // once the first closed, its share of the budget is free again
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ItEnv.metric(front, "quire_preauth_bytes") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ItEnv.metric(front, "quire_preauth_bytes")).isZero();
            try (RawClient third = new RawClient(url(front))) {
                for (int i = 0; i < 6; i++) {
                    third.send(chunk);
                }
                third.send(RawClient.auth("pre", "token", "4.7.0"));
                await(third, frame(HocuspocusCodec.authenticated(Address.of("pre"), false)));
            }
            // three unauthenticated sockets from one address, not four; an authenticated one no longer counts
            List<RawClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    open.add(new RawClient(url(front)));
                }
                try (RawClient fourth = new RawClient(url(front))) {
                    assertThat(fourth.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(1013);
                }
                open.get(0).send(RawClient.auth("capped", "token", "4.7.0"));
                await(open.get(0), frame(HocuspocusCodec.authenticated(Address.of("capped"), false)));
                try (RawClient fifth = new RawClient(url(front))) {
                    fifth.send(RawClient.auth("capped", "token", "4.7.0"));
                    await(fifth, frame(HocuspocusCodec.authenticated(Address.of("capped"), false)));
                }
            } finally {
                open.forEach(RawClient::close);
            }
        }
    }

    @Test
    void yWebsocketSocketsAreRateLimitedToo() throws Exception {
        it.with("QUIRE_MAX_MESSAGES_PER_SECOND", "100"); // burst 1,000
        try (FrontServer front = it.start(); RawClient c = new RawClient(url(front) + "/yjs/rated")) {
            byte[] queryAwareness = {3}; // y-websocket's messageQueryAwareness: harmless alone
            int sent = 0;
            try {
                for (; sent < 5000 && !c.closeCode.isDone(); sent++) {
                    c.send(queryAwareness);
                }
            } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                // closed between two sends
            }
            assertThat(c.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(4429);
            assertThat(sent).isGreaterThanOrEqualTo(1000);
        }
    }
}
