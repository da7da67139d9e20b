package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.Lib0Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes structs client by client, as yjs's {@code LazyStructWriter}: each run of structs of one
 * client becomes a fragment (client, start clock, structs); {@link #finish()} writes the number of
 * fragments and each fragment's struct count in front of it. A client that comes back later gets a
 * second fragment, exactly as in yjs.
 */
public final class StructWriter {
    private final UpdateEncoder encoder;
    private final List<Lib0Writer> fragments = new ArrayList<>();
    private final List<Long> fragmentCounts = new ArrayList<>();
    private long currClient;
    private long written;

    public StructWriter(UpdateEncoder encoder) {
        this.encoder = encoder;
    }

    /** Writes {@code struct} without its first {@code offset} units. */
    public void write(Struct struct, long offset) {
        if (written > 0 && currClient != struct.client) {
            flush();
        }
        if (written == 0) {
            currClient = struct.client;
            encoder.writeClient(struct.client);
            encoder.rest().writeVarUint(struct.clock + offset);
        }
        struct.write(encoder, offset);
        written++;
    }

    private void flush() {
        if (written > 0) {
            fragments.add(encoder.rest());
            fragmentCounts.add(written);
            encoder.setRest(new Lib0Writer());
            written = 0;
        }
    }

    /** Writes the fragments; afterwards the encoder's rest holds all structs and is ready for the delete set. */
    public void finish() {
        flush();
        Lib0Writer rest = encoder.rest();
        rest.writeVarUint(fragments.size());
        for (int i = 0; i < fragments.size(); i++) {
            rest.writeVarUint(fragmentCounts.get(i));
            rest.writeWriter(fragments.get(i));
        }
    }
}
