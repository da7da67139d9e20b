package dev.quire.yjs.codec;

import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.lib0.IntDiffOptRleDecoder;
import dev.quire.yjs.lib0.Lib0Reader;
import dev.quire.yjs.lib0.RleDecoder;
import dev.quire.yjs.lib0.StringDecoder;
import dev.quire.yjs.lib0.UintOptRleDecoder;
import java.util.ArrayList;
import java.util.List;

/** Reads update format v2 (see {@link UpdateEncoderV2}). Clocks decoded from diffs are checked to be non-negative. */
public final class UpdateDecoderV2 implements UpdateDecoder {
    private final Lib0Reader rest;
    private final Lib0Reader leftClockIn;
    private final Lib0Reader rightClockIn;
    private final List<String> keys = new ArrayList<>();
    private long dsCurrVal;
    private final IntDiffOptRleDecoder keyClockDecoder;
    private final UintOptRleDecoder clientDecoder;
    private final IntDiffOptRleDecoder leftClockDecoder;
    private final IntDiffOptRleDecoder rightClockDecoder;
    private final RleDecoder infoDecoder;
    private final StringDecoder stringDecoder;
    private final RleDecoder parentInfoDecoder;
    private final UintOptRleDecoder typeRefDecoder;
    private final UintOptRleDecoder lenDecoder;

    public UpdateDecoderV2(byte[] update) {
        this(new Lib0Reader(update));
    }

    public UpdateDecoderV2(Lib0Reader in) {
        in.readVarUint(); // feature flag, unused
        keyClockDecoder = new IntDiffOptRleDecoder(in.readVarUint8ArrayAsReader());
        clientDecoder = new UintOptRleDecoder(in.readVarUint8ArrayAsReader());
        leftClockIn = in.readVarUint8ArrayAsReader();
        leftClockDecoder = new IntDiffOptRleDecoder(leftClockIn);
        rightClockIn = in.readVarUint8ArrayAsReader();
        rightClockDecoder = new IntDiffOptRleDecoder(rightClockIn);
        infoDecoder = new RleDecoder(in.readVarUint8ArrayAsReader());
        stringDecoder = new StringDecoder(in.readVarUint8ArrayAsReader());
        parentInfoDecoder = new RleDecoder(in.readVarUint8ArrayAsReader());
        typeRefDecoder = new UintOptRleDecoder(in.readVarUint8ArrayAsReader());
        lenDecoder = new UintOptRleDecoder(in.readVarUint8ArrayAsReader());
        rest = in.readTailAsReader();
    }

    @Override
    public Lib0Reader rest() {
        return rest;
    }

    private static long clock(long v, Lib0Reader column) {
        if (v < 0 || v > Lib0Reader.MAX_SAFE_INTEGER) {
            throw column.error(Reason.INVALID_VALUE, "clock " + v + " out of range");
        }
        return v;
    }

    @Override
    public ID readLeftId() {
        return new ID(clientDecoder.read(), clock(leftClockDecoder.read(), leftClockIn));
    }

    @Override
    public ID readRightId() {
        return new ID(clientDecoder.read(), clock(rightClockDecoder.read(), rightClockIn));
    }

    @Override
    public long readClient() {
        return clientDecoder.read();
    }

    @Override
    public int readInfo() {
        return infoDecoder.read();
    }

    @Override
    public String readString() {
        return stringDecoder.read();
    }

    @Override
    public boolean readParentInfo() {
        return parentInfoDecoder.read() == 1;
    }

    @Override
    public long readTypeRef() {
        return typeRefDecoder.read();
    }

    @Override
    public long readLen() {
        return lenDecoder.read();
    }

    @Override
    public Object readAny() {
        return rest.readAny();
    }

    @Override
    public byte[] readBuf() {
        return rest.readVarUint8Array();
    }

    @Override
    public Object readJSON() {
        return rest.readAny();
    }

    @Override
    public String readKey() {
        long keyClock = keyClockDecoder.read();
        if (keyClock >= 0 && keyClock < keys.size()) {
            return keys.get((int) keyClock);
        }
        String key = stringDecoder.read();
        keys.add(key);
        return key;
    }

    @Override
    public void resetDsCurVal() {
        dsCurrVal = 0;
    }

    @Override
    public long readDsClock() {
        dsCurrVal += rest.readVarUint();
        if (dsCurrVal > Lib0Reader.MAX_SAFE_INTEGER) {
            throw rest.error(Reason.INVALID_VALUE, "delete set clock beyond 2^53-1");
        }
        return dsCurrVal;
    }

    @Override
    public long readDsLen() {
        long diff = rest.readVarUint() + 1;
        dsCurrVal += diff;
        return diff;
    }
}
