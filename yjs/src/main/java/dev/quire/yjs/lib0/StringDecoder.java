package dev.quire.yjs.lib0;

import dev.quire.yjs.MalformedUpdateException.Reason;

/** Reads what {@link StringEncoder} writes: slices one decoded string by UTF-16 lengths. */
public final class StringDecoder {
    private final Lib0Reader in;
    private final UintOptRleDecoder lens;
    private final String str;
    private int spos;

    public StringDecoder(Lib0Reader in) {
        this.in = in;
        this.str = in.readVarString();
        this.lens = new UintOptRleDecoder(in);
    }

    public String read() {
        long len = lens.read();
        if (len > str.length() - spos) {
            // yjs would silently return a shorter string; a shorter string changes struct lengths, so reject
            throw in.error(Reason.LENGTH_EXCEEDS_INPUT,
                    "string of " + len + " UTF-16 units, but only " + (str.length() - spos) + " remain in the string column");
        }
        int end = spos + (int) len;
        String res = str.substring(spos, end);
        spos = end;
        return res;
    }
}
