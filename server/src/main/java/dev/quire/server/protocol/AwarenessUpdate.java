package dev.quire.server.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.Lib0Writer;
import dev.quire.yjs.lib0.Utf8;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A y-protocols awareness update: {@code varUint count} then per client {@code varUint clientID,
 * varUint clock, varString JSON state} ({@code "null"} removes the client). States stay JSON text: the
 * server relays them and never needs their content, but it checks that they are JSON before relaying any
 * (see {@link #decodeChecked}).
 */
public record AwarenessUpdate(List<Entry> entries) {
    /**
     * Deeper than any real state (user, cursor: a few levels); y-protocols compares states recursively
     * ({@code equalityDeep}) in every peer, so a state nested thousands deep would overflow their stacks.
     */
    static final int MAX_STATE_DEPTH = 1000;
    private static final int MAX_REASON_DETAIL = 80;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_STATE_DEPTH).build())
            .build();

    /** One client's state at a clock; {@code state} is the JSON text, {@code "null"} for a removal. */
    public record Entry(long clientId, long clock, String state) {
        public boolean removed() {
            return "null".equals(state);
        }
    }

    /** Decodes without looking into the states: for updates this server has already checked or made itself. */
    public static AwarenessUpdate decode(byte[] bytes) {
        return decode(bytes, -1);
    }

    /**
     * Decodes an update a client sent. Every state must be at most {@code maxStateBytes} of UTF-8 (checked before
     * it is read into a string) and one JSON value as {@code JSON.parse} accepts it: y-protocols parses every state
     * it receives, so one that does not parse throws in each provider it reaches, and in every client that joins
     * later. A state whose value is JSON {@code null} is a removal however it is spaced, so it becomes {@code "null"}.
     *
     * @throws ProtocolException naming the client and what is wrong with its state
     */
    public static AwarenessUpdate decodeChecked(byte[] bytes, int maxStateBytes) {
        if (maxStateBytes < 0) {
            throw new IllegalArgumentException("maxStateBytes " + maxStateBytes);
        }
        return decode(bytes, maxStateBytes);
    }

    /** {@code maxStateBytes} -1: the states are not looked into. */
    private static AwarenessUpdate decode(byte[] bytes, int maxStateBytes) {
        try {
            Lib0Reader in = new Lib0Reader(bytes);
            long n = in.readVarUint();
            if (n > in.remaining()) {
                throw new ProtocolException(CloseCode.RESET_CONNECTION, "awareness update of " + n + " entries in " + bytes.length + " bytes");
            }
            List<Entry> entries = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                long clientId = in.readVarUint();
                long clock = in.readVarUint();
                String state = maxStateBytes < 0 ? in.readVarString() : readState(in, clientId, maxStateBytes);
                entries.add(new Entry(clientId, clock, state));
            }
            return new AwarenessUpdate(List.copyOf(entries));
        } catch (MalformedUpdateException e) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "malformed awareness update: " + e.getMessage(), e);
        }
    }

    /** The next state, its size checked before it becomes a string (a frame may be megabytes), then its JSON. */
    private static String readState(Lib0Reader in, long clientId, int maxStateBytes) {
        Lib0Reader text = in.readVarUint8ArrayAsReader();
        if (text.remaining() > maxStateBytes) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "awareness state of client " + clientId + " is "
                    + text.remaining() + " bytes, over the limit of " + maxStateBytes + " (QUIRE_MAX_AWARENESS_STATE_BYTES)");
        }
        byte[] utf8 = text.readUint8Array(text.remaining());
        String state = Utf8.decode(utf8, 0, utf8.length);
        if (state == null) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "awareness state of client " + clientId + " is not valid UTF-8");
        }
        return checkState(clientId, state);
    }

    /**
     * {@code state} as y-protocols reads it: the same text when it is one JSON value, {@code "null"} when that value
     * is null.
     *
     * @throws ProtocolException when {@code JSON.parse} would throw on it
     */
    public static String checkState(long clientId, String state) {
        if (state.equals("null")) {
            return state;
        }
        if (!state.isEmpty() && state.charAt(0) == '\uFEFF') {
            throw notJson(clientId, "it starts with a byte order mark"); // Jackson skips one, JSON.parse does not
        }
        try (JsonParser p = JSON.createParser(state)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw notJson(clientId, "it is empty");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw notJson(clientId, "more than one value");
            }
            return first == JsonToken.VALUE_NULL ? "null" : state;
        } catch (JsonProcessingException e) {
            throw notJson(clientId, String.valueOf(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a string source does not fail to read
        }
    }

    private static ProtocolException notJson(long clientId, String why) {
        String detail = why.length() > MAX_REASON_DETAIL ? why.substring(0, MAX_REASON_DETAIL) + "..." : why;
        return new ProtocolException(CloseCode.RESET_CONNECTION, "awareness state of client " + clientId + " is not JSON: " + detail);
    }

    public byte[] encode() {
        Lib0Writer w = new Lib0Writer();
        w.writeVarUint(entries.size());
        for (Entry e : entries) {
            w.writeVarUint(e.clientId());
            w.writeVarUint(e.clock());
            w.writeVarString(e.state());
        }
        return w.toByteArray();
    }
}
