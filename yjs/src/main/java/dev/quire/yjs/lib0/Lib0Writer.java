package dev.quire.yjs.lib0;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A growable byte buffer with lib0's {@code encoding.js} primitives: varUint, varInt (with
 * negative zero), varString, varUint8Array, big-endian floats and bigints, and {@code writeAny}.
 *
 * <p>Writers never fail on a valid value. The value model of {@link #writeAny} is described in
 * {@link Lib0Reader#readAny()}.
 */
public final class Lib0Writer {
    private byte[] buf;
    private int pos;

    public Lib0Writer() {
        this(64);
    }

    public Lib0Writer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Number of bytes written so far. */
    public int length() {
        return pos;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Forgets everything written, keeping the buffer. */
    public void reset() {
        pos = 0;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    public void writeUint8(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    /** Raw bytes, no length prefix. */
    public void writeUint8Array(byte[] bytes) {
        writeUint8Array(bytes, 0, bytes.length);
    }

    public void writeUint8Array(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, pos, len);
        pos += len;
    }

    /** Appends everything another writer holds, no length prefix. */
    public void writeWriter(Lib0Writer other) {
        writeUint8Array(other.buf, 0, other.pos);
    }

    /** LEB128 unsigned; {@code n} must be within 0 .. 2^53-1 for JavaScript peers to read it. */
    public void writeVarUint(long n) {
        ensure(10);
        while (Long.compareUnsigned(n, 127) > 0) {
            buf[pos++] = (byte) (0x80 | (n & 0x7F));
            n >>>= 7;
        }
        buf[pos++] = (byte) n;
    }

    /** Number of bytes {@link #writeVarUint} writes for {@code n}. */
    public static int varUintLength(long n) {
        int bits = 64 - Long.numberOfLeadingZeros(n);
        return Math.max(1, (bits + 6) / 7);
    }

    /** lib0 varInt of a signed value (0 is written as positive zero). */
    public void writeVarInt(long n) {
        writeVarInt(Math.abs(n), n < 0);
    }

    /**
     * lib0 varInt from magnitude and sign: first byte {@code [continue][sign][6 bits]}, then 7-bit groups.
     * {@code writeVarInt(0, true)} writes negative zero ({@code 0x40}), which the RLE encoders rely on.
     */
    public void writeVarInt(long magnitude, boolean negative) {
        ensure(10);
        long n = magnitude;
        buf[pos++] = (byte) ((n > 63 ? 0x80 : 0) | (negative ? 0x40 : 0) | (n & 0x3F));
        n >>>= 6;
        while (n > 0) {
            buf[pos++] = (byte) ((n > 127 ? 0x80 : 0) | (n & 0x7F));
            n >>>= 7;
        }
    }

    /** varUint byte length, then UTF-8 (lone surrogates as U+FFFD). */
    public void writeVarString(String s) {
        int n = s.length();
        int len = Utf8.encodedLength(s);
        writeVarUint(len);
        ensure(len);
        if (len == n) { // ASCII fast path
            for (int i = 0; i < n; i++) {
                buf[pos + i] = (byte) s.charAt(i);
            }
            pos += n;
        } else {
            pos = Utf8.encode(s, buf, pos);
        }
    }

    public void writeVarUint8Array(byte[] bytes) {
        writeVarUint(bytes.length);
        writeUint8Array(bytes);
    }

    public void writeFloat32(float f) {
        int bits = Float.floatToRawIntBits(f);
        ensure(4);
        buf[pos++] = (byte) (bits >>> 24);
        buf[pos++] = (byte) (bits >>> 16);
        buf[pos++] = (byte) (bits >>> 8);
        buf[pos++] = (byte) bits;
    }

    public void writeFloat64(double d) {
        writeInt64(Double.doubleToRawLongBits(d));
    }

    /** 8 bytes big-endian, as {@code DataView.setBigInt64}. */
    public void writeInt64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[pos++] = (byte) (v >>> shift);
        }
    }

    /**
     * lib0 {@code writeAny}. Numbers follow JavaScript's rule: an integer with |x| <= 2^31-1 is a varInt
     * (tag 125), a value exactly representable as float32 is tag 124, anything else float64 (tag 123).
     * {@link BigInteger} is a bigint (tag 122, wrapped to 64 bits as JavaScript does). Maps are written
     * in JavaScript key order; unknown Java types are written as {@code undefined}, as lib0 does for
     * functions and symbols.
     */
    public void writeAny(Object v) {
        if (v == null) {
            writeUint8(126);
        } else if (v instanceof String s) {
            writeUint8(119);
            writeVarString(s);
        } else if (v instanceof Boolean b) {
            writeUint8(b ? 120 : 121);
        } else if (v instanceof BigInteger bi) {
            writeUint8(122);
            writeInt64(bi.longValue());
        } else if (v instanceof Number num) {
            writeNumber(num.doubleValue());
        } else if (v instanceof byte[] bytes) {
            writeUint8(116);
            writeVarUint8Array(bytes);
        } else if (v instanceof List<?> list) {
            writeUint8(117);
            writeVarUint(list.size());
            for (Object o : list) {
                writeAny(o);
            }
        } else if (v instanceof Map<?, ?> map) {
            writeUint8(118);
            writeVarUint(map.size());
            Iterable<String> keys = v instanceof JsObject jo ? jo.keys() : JsObject.jsKeyOrder(stringKeys(map));
            for (String k : keys) {
                writeVarString(k);
                writeAny(map.get(k));
            }
        } else {
            writeUint8(127);
        }
    }

    @SuppressWarnings("unchecked")
    private static Iterable<String> stringKeys(Map<?, ?> map) {
        return (Iterable<String>) (Iterable<?>) map.keySet();
    }

    private void writeNumber(double d) {
        if (JsNumbers.isInt32Magnitude(d)) {
            writeUint8(125);
            writeVarInt((long) Math.abs(d), JsNumbers.isNegative(d));
        } else if (JsNumbers.isFloat32(d)) {
            writeUint8(124);
            writeFloat32((float) d);
        } else {
            writeUint8(123);
            writeFloat64(d);
        }
    }
}
