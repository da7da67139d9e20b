package dev.quire.yjs.codec;

/** A struct's identity: the client that created it and the clock (UTF-16 unit count) at its start. */
public record ID(long client, long clock) {
    @Override
    public String toString() {
        return client + ":" + clock;
    }
}
