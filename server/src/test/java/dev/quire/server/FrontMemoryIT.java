package dev.quire.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quire.server.protocol.Address;
import dev.quire.server.protocol.HocuspocusCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A front as its own JVM with a 256 MB heap (and -XX:+ExitOnOutOfMemoryError, as shipped), under loads that exhausted a
 * 1 GiB front before the limits of issue 15: it must keep serving a well-behaved client meanwhile and after.
 */
@Timeout(300)
class FrontMemoryIT {
    private final ItEnv it = new ItEnv();
    @TempDir
    Path dir;
    private FrontProcess front;

    @AfterEach
    void cleanUp() throws Exception {
        if (front != null) {
            front.close();
        }
        it.close();
    }

    private void startFront() throws Exception {
        front = FrontProcess.start(it.env, "256m", dir.resolve("front.log"));
    }

    private String url() {
        return front.url();
    }

    private RawClient authenticated(String document) throws Exception {
        return RawClient.authenticated(url(), document);
    }

    /** A well-behaved edit: sent and acknowledged (after Kafka). */
    private static void edit(RawClient c, String document, long client, String text) throws Exception {
        c.edit(document, RawClient.textUpdate(client, text));
    }

    private String log() {
        return front.logTail();
    }

    private double metric(String name) throws Exception {
        return front.metric(name);
    }

    /** 100 sockets that each try to queue 5 MB before any Auth (500 MB in all, twice the heap). */
    @Test
    void unauthenticatedSocketsFloodingFramesDoNotExhaustTheFront() throws Exception {
        startFront();
        try (RawClient good = authenticated("good")) {
            edit(good, "good", 1, "before ");
            byte[] chunk = HocuspocusCodec.update(Address.of("flood"), new byte[100 * 1024]);
            List<RawClient> flood = new ArrayList<>();
            for (int s = 0; s < 100; s++) {
                flood.add(new RawClient(url()));
            }
            // all at once, round-robin from a few threads: every socket holds what it sent until its Auth
            ExecutorService senders = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                done.add(senders.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        for (int s = first; s < flood.size(); s += 4) {
                            RawClient c = flood.get(s);
                            if (!c.closeCode.isDone()) {
                                try {
                                    c.send(chunk);
                                } catch (Exception closedWhileSending) {
                                    // closed between two sends: its close code says why
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            int edits = 0;
            while (done.stream().anyMatch(f -> !f.isDone())) {
                edit(good, "good", 1, "meanwhile " + edits++ + " ");
                Thread.sleep(100);
            }
            senders.shutdown();
            int closedBy4205 = 0;
            for (RawClient c : flood) {
                if (c.closeCode.isDone() && c.closeCode.get() == 4205) {
                    closedBy4205++;
                }
            }
            System.out.printf("pre-auth flood: %d of 100 sockets closed with 4205, %d edits acknowledged meanwhile%n",
                    closedBy4205, edits);
            flood.forEach(RawClient::close);
            assertThat(front.process.isAlive()).as(log()).isTrue();
            assertThat(closedBy4205).as("the sockets beyond the front's budget").isGreaterThan(50);
            edit(good, "good", 1, "after");
            long deadline = System.currentTimeMillis() + 10_000;
            while (metric("quire_preauth_bytes") > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(metric("quire_preauth_bytes")).as("the budget is given back when the sockets close").isZero();
        }
        try (RawClient late = authenticated("good")) {
            edit(late, "good", 2, "a new client after the flood");
        }
        assertThat(front.process.isAlive()).as(log()).isTrue();
    }

    /** A socket that reads its Auth answer and then nothing: it never asks its WebSocket for another message. */
    private WebSocket stuckReader(String document) throws Exception {
        CompletableFuture<Void> authenticated = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url()), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                if (last) {
                    authenticated.complete(null); // and no request(): the client stops reading the socket
                } else {
                    w.request(1);
                }
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendBinary(ByteBuffer.wrap(RawClient.auth(document, "token", "4.7.0")), true).get(5, TimeUnit.SECONDS);
        authenticated.get(10, TimeUnit.SECONDS);
        return ws;
    }

    /** Ten clients that stop reading while a writer pastes 40 MB: each would have held all of it in the heap. */
    @Test
    void clientsThatStopReadingAreClosedInsteadOfFillingTheHeap() throws Exception {
        it.with("QUIRE_MAX_SOCKET_BUFFER_BYTES", Integer.toString(4 * 1024 * 1024)).with("QUIRE_MAX_MESSAGES_PER_SECOND", "0");
        startFront();
        List<WebSocket> stuck = new ArrayList<>();
        try (RawClient writer = authenticated("busy")) {
            for (int i = 0; i < 10; i++) {
                stuck.add(stuckReader("busy"));
            }
            String megabyte = "w".repeat(1_000_000);
            for (int i = 0; i < 40; i++) {
                edit(writer, "busy", 100 + i, megabyte);
                writer.received.clear(); // the writer's own copies: it reads them, but this test need not keep them
            }
            assertThat(front.process.isAlive()).as(log()).isTrue();
            long deadline = System.currentTimeMillis() + 20_000;
            while (metric("quire_connections_closed_total") < 10 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            System.out.printf("stuck readers: %.0f sockets closed (4205: %s)%n", metric("quire_connections_closed_total"),
                    log().lines().filter(l -> l.contains("does not read")).count());
            assertThat(log()).contains("the client does not read");
            assertThat(metric("quire_connections_closed_total")).as("every stuck reader was closed").isGreaterThanOrEqualTo(10);
            edit(writer, "busy", 999, "still served");
        } finally {
            stuck.forEach(WebSocket::abort);
        }
        try (RawClient late = authenticated("busy")) {
            edit(late, "busy", 1000, "a new client afterwards");
        }
        assertThat(front.process.isAlive()).as(log()).isTrue();
    }
}
