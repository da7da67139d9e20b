package dev.quire.yjs.codec;

import dev.quire.yjs.lib0.IntDiffOptRleEncoder;
import dev.quire.yjs.lib0.Lib0Writer;
import dev.quire.yjs.lib0.RleEncoder;
import dev.quire.yjs.lib0.StringEncoder;
import dev.quire.yjs.lib0.UintOptRleEncoder;

/**
 * Update format v2: fields go to column encoders (run-length and diff encoded) that are written one
 * after the other, each with a length prefix, followed by the rest encoder without one.
 */
public final class UpdateEncoderV2 implements UpdateEncoder {
    private Lib0Writer rest = new Lib0Writer();
    private long dsCurrVal;
    private long keyClock;
    private final IntDiffOptRleEncoder keyClockEncoder = new IntDiffOptRleEncoder();
    private final UintOptRleEncoder clientEncoder = new UintOptRleEncoder();
    private final IntDiffOptRleEncoder leftClockEncoder = new IntDiffOptRleEncoder();
    private final IntDiffOptRleEncoder rightClockEncoder = new IntDiffOptRleEncoder();
    private final RleEncoder infoEncoder = new RleEncoder();
    private final StringEncoder stringEncoder = new StringEncoder();
    private final RleEncoder parentInfoEncoder = new RleEncoder();
    private final UintOptRleEncoder typeRefEncoder = new UintOptRleEncoder();
    private final UintOptRleEncoder lenEncoder = new UintOptRleEncoder();

    @Override
    public Lib0Writer rest() {
        return rest;
    }

    @Override
    public void setRest(Lib0Writer rest) {
        this.rest = rest;
    }

    @Override
    public void writeLeftId(long client, long clock) {
        clientEncoder.write(client);
        leftClockEncoder.write(clock);
    }

    @Override
    public void writeRightId(long client, long clock) {
        clientEncoder.write(client);
        rightClockEncoder.write(clock);
    }

    @Override
    public void writeClient(long client) {
        clientEncoder.write(client);
    }

    @Override
    public void writeInfo(int info) {
        infoEncoder.write(info);
    }

    @Override
    public void writeString(String s) {
        stringEncoder.write(s);
    }

    @Override
    public void writeParentInfo(boolean isYKey) {
        parentInfoEncoder.write(isYKey ? 1 : 0);
    }

    @Override
    public void writeTypeRef(int typeRef) {
        typeRefEncoder.write(typeRef);
    }

    @Override
    public void writeLen(long len) {
        lenEncoder.write(len);
    }

    @Override
    public void writeAny(Object value) {
        rest.writeAny(value);
    }

    @Override
    public void writeBuf(byte[] buf) {
        rest.writeVarUint8Array(buf);
    }

    @Override
    public void writeJSON(Object value) {
        rest.writeAny(value);
    }

    @Override
    public void writeKey(String key) {
        // yjs disabled its key cache: every key is a new clock and a new string
        keyClockEncoder.write(keyClock++);
        stringEncoder.write(key);
    }

    @Override
    public void resetDsCurVal() {
        dsCurrVal = 0;
    }

    @Override
    public void writeDsClock(long clock) {
        long diff = clock - dsCurrVal;
        dsCurrVal = clock;
        rest.writeVarUint(diff);
    }

    @Override
    public void writeDsLen(long len) {
        if (len == 0) {
            throw new IllegalStateException("zero-length delete range");
        }
        rest.writeVarUint(len - 1);
        dsCurrVal += len;
    }

    @Override
    public byte[] toByteArray() {
        Lib0Writer out = new Lib0Writer(rest.length() + 64);
        out.writeVarUint(0); // feature flag
        out.writeVarUint8Array(keyClockEncoder.toByteArray());
        out.writeVarUint8Array(clientEncoder.toByteArray());
        out.writeVarUint8Array(leftClockEncoder.toByteArray());
        out.writeVarUint8Array(rightClockEncoder.toByteArray());
        out.writeVarUint8Array(infoEncoder.toByteArray());
        out.writeVarUint8Array(stringEncoder.toByteArray());
        out.writeVarUint8Array(parentInfoEncoder.toByteArray());
        out.writeVarUint8Array(typeRefEncoder.toByteArray());
        out.writeVarUint8Array(lenEncoder.toByteArray());
        out.writeWriter(rest); // the rest is appended without a length prefix
        return out.toByteArray();
    }
}
