package dev.quire.server;

import dev.quire.yjs.lib0.Lib0Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket client that sends raw frames and records what comes back, for protocol tests. */
final class RawClient implements AutoCloseable {
    final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;

    RawClient(String url) throws Exception {
        ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
            private java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                partial.writeBytes(b);
                if (last) {
                    received.add(partial.toByteArray());
                    partial = new java.io.ByteArrayOutputStream();
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                closeCode.complete(code);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closeCode.complete(-1);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** A Hocuspocus Auth frame: token, and the provider version when not null (v2 providers send none). */
    static byte[] auth(String document, String token, String version) {
        Lib0Writer w = new Lib0Writer();
        w.writeVarString(document);
        w.writeVarUint(2); // Auth
        w.writeVarUint(0); // token
        w.writeVarString(token);
        if (version != null) {
            w.writeVarString(version);
        }
        return w.toByteArray();
    }

    void send(byte[] frame) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(frame), true).get(5, TimeUnit.SECONDS);
    }

    byte[] next() throws InterruptedException {
        byte[] b = received.poll(10, TimeUnit.SECONDS);
        if (b == null) {
            throw new AssertionError("nothing received within 10 s");
        }
        return b;
    }

    /** The first frame received that satisfies {@code p}, skipping the others (sync, awareness). */
    byte[] await(java.util.function.Predicate<byte[]> p) throws InterruptedException {
        while (true) {
            byte[] f = next();
            if (p.test(f)) {
                return f;
            }
        }
    }

    /** Waits for a frame equal to {@code expected}, skipping the others. */
    byte[] await(byte[] expected) throws InterruptedException {
        return await(f -> java.util.Arrays.equals(f, expected));
    }

    /** A client of {@code url} that sent an Auth (v4 provider) for {@code document} and got Authenticated (read-write). */
    static RawClient authenticated(String url, String document) throws Exception {
        RawClient c = new RawClient(url);
        c.send(auth(document, "token", "4.7.0"));
        c.await(dev.quire.server.protocol.HocuspocusCodec.authenticated(dev.quire.server.protocol.Address.of(document), false));
        return c;
    }

    /** Sends an update of {@code document} and waits for its acknowledgement (SyncStatus applied, after Kafka). */
    void edit(String document, byte[] update) throws Exception {
        dev.quire.server.protocol.Address a = dev.quire.server.protocol.Address.of(document);
        send(dev.quire.server.protocol.HocuspocusCodec.update(a, update));
        await(dev.quire.server.protocol.HocuspocusCodec.syncStatus(a, true));
    }

    /** One insertion of {@code text} at the start of text root "t" by client {@code client}, as a v1 update. */
    static byte[] textUpdate(long client, String text) {
        dev.quire.yjs.model.YDoc doc = new dev.quire.yjs.model.YDoc(client, true);
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        doc.onUpdate((u, tr) -> out.add(u));
        doc.getText("t").insert(0, text);
        return out.get(0);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
