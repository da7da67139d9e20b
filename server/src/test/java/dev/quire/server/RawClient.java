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

    @Override
    public void close() {
        ws.abort();
    }
}
