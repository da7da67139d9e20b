package dev.quire.server.protocol;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A y-protocols awareness update: {@code varUint count} then per client {@code varUint clientID,
 * varUint clock, varString JSON state} ({@code "null"} removes the client). States stay JSON text: the
 * server relays them and never needs their content.
 */
public record AwarenessUpdate(List<Entry> entries) {
    /** One client's state at a clock; {@code state} is the JSON text, {@code "null"} for a removal. */
    public record Entry(long clientId, long clock, String state) {
        public boolean removed() {
            return "null".equals(state);
        }
    }

    public static AwarenessUpdate decode(byte[] bytes) {
        try {
            Lib0Reader in = new Lib0Reader(bytes);
            long n = in.readVarUint();
            if (n > in.remaining()) {
                throw new ProtocolException(CloseCode.RESET_CONNECTION, "awareness update of " + n + " entries in " + bytes.length + " bytes");
            }
            List<Entry> entries = new ArrayList<>((int) n);
            for (long i = 0; i < n; i++) {
                entries.add(new Entry(in.readVarUint(), in.readVarUint(), in.readVarString()));
            }
            return new AwarenessUpdate(List.copyOf(entries));
        } catch (MalformedUpdateException e) {
            throw new ProtocolException(CloseCode.RESET_CONNECTION, "malformed awareness update: " + e.getMessage(), e);
        }
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
