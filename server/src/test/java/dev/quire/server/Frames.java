package dev.quire.server;

import dev.quire.server.protocol.AwarenessUpdate;
import dev.quire.server.protocol.MessageType;
import dev.quire.yjs.lib0.Lib0Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads what a front sends a {@link RawClient}: the awareness entries and document closes of Hocuspocus frames. */
final class Frames {
    private final List<byte[]> all = new ArrayList<>();

    /** The awareness entries of {@code frame}, or none when it is not an awareness frame. */
    static List<AwarenessUpdate.Entry> awareness(byte[] frame) {
        Lib0Reader r = new Lib0Reader(frame);
        if (frame.length < 2) {
            return List.of(); // v4's bare ping
        }
        r.readVarString();
        return r.readVarUint() == MessageType.AWARENESS.code() ? AwarenessUpdate.decode(r.readVarUint8Array()).entries() : List.of();
    }

    /** The reason of a Close frame, or null when {@code frame} is another kind. */
    static String closeReason(byte[] frame) {
        Lib0Reader r = new Lib0Reader(frame);
        if (frame.length < 2) {
            return null;
        }
        r.readVarString();
        return r.readVarUint() == MessageType.CLOSE.code() ? r.readVarString() : null;
    }

    /** Takes what {@code c} received so far into this record. */
    Frames drain(RawClient c) {
        for (byte[] f = c.received.poll(); f != null; f = c.received.poll()) {
            all.add(f);
        }
        return this;
    }

    /** Every awareness client id received so far. */
    List<Long> clientIds() {
        List<Long> ids = new ArrayList<>();
        for (byte[] f : all) {
            for (AwarenessUpdate.Entry e : awareness(f)) {
                ids.add(e.clientId());
            }
        }
        return ids;
    }

    /** Every frame of a Sync message (SyncStep1, SyncStep2, Update) received so far. */
    long syncFrames() {
        long n = 0;
        for (byte[] f : all) {
            if (f.length >= 2) {
                Lib0Reader r = new Lib0Reader(f);
                r.readVarString();
                if (r.readVarUint() == MessageType.SYNC.code()) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The reason of the first Close frame {@code c} receives within 10 s (other frames are skipped), or an AssertionError. */
    static String awaitClose(RawClient c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            byte[] f = c.received.poll(100, TimeUnit.MILLISECONDS);
            String reason = f == null ? null : closeReason(f);
            if (reason != null) {
                return reason;
            }
        }
        throw new AssertionError("the document connection was not closed within 10 s");
    }
}
