package dev.quire.yjs.lib0;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A cursor over a byte array with lib0's {@code decoding.js} primitives.
 *
 * <p>Every read checks bounds and throws {@link MalformedUpdateException} with the absolute offset
 * of the failure ({@code base} plus the local position, so readers over a slice of a v2 update
 * report offsets in the whole update). A length prefix is checked against the remaining bytes
 * before anything is allocated.
 *
 * <p>The value model of {@link #readAny()}: {@link Undefined#UNDEFINED}, {@code null}, {@link Double}
 * for every JavaScript number (integers included, {@code -0.0} kept), {@link BigInteger} for bigint,
 * {@link Boolean}, {@link String}, {@link JsObject}, {@link List} and {@code byte[]}.
 */
public final class Lib0Reader {
    /** Largest integer a JavaScript number holds exactly: 2^53-1. */
    public static final long MAX_SAFE_INTEGER = 9007199254740991L;
    private static final int MAX_ANY_DEPTH = 1000;

    private final byte[] buf;
    private final int end;
    private final long base;
    private int pos;
    private boolean lastVarIntNegative;

    public Lib0Reader(byte[] buf) {
        this(buf, 0, buf.length, 0);
    }

    /**
     * Reads {@code buf[off, off+len)}; {@code base} is the absolute offset of {@code buf[off]} in
     * the original input, used only in error messages.
     */
    public Lib0Reader(byte[] buf, int off, int len, long base) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.base = base - off;
    }

    /** Absolute offset of the next byte (for error messages). */
    public long offset() {
        return base + pos;
    }

    public int remaining() {
        return end - pos;
    }

    public boolean hasContent() {
        return pos < end;
    }

    public MalformedUpdateException error(Reason reason, String message) {
        return new MalformedUpdateException(reason, offset(), message);
    }

    private MalformedUpdateException truncated(String what) {
        return error(Reason.TRUNCATED, "unexpected end of input, expected " + what);
    }

    public int readUint8() {
        if (pos >= end) {
            throw truncated("a byte");
        }
        return buf[pos++] & 0xFF;
    }

    /** LEB128 unsigned integer; values above 2^53-1 are rejected. */
    public long readVarUint() {
        long num = 0;
        int shift = 0;
        long start = offset();
        while (pos < end) {
            int r = buf[pos++] & 0xFF;
            long bits = r & 0x7F;
            if (bits != 0) {
                if (shift > 53) {
                    throw new MalformedUpdateException(Reason.INVALID_VAR_INT, start, "varUint larger than 2^53-1");
                }
                num |= bits << shift;
                if (num > MAX_SAFE_INTEGER) {
                    throw new MalformedUpdateException(Reason.INVALID_VAR_INT, start, "varUint larger than 2^53-1");
                }
            }
            if (r < 0x80) {
                return num;
            }
            shift += 7;
        }
        throw truncated("the rest of a varUint");
    }

    /** A varUint that must fit in an int (lengths and counts). */
    public int readVarUintAsInt(String what) {
        long start = offset();
        long v = readVarUint();
        if (v > Integer.MAX_VALUE) {
            throw new MalformedUpdateException(Reason.HOSTILE_SIZE, start, what + " " + v + " is too large");
        }
        return (int) v;
    }

    /**
     * lib0 varInt, returned as a signed long. Whether the sign bit was set (so that -0 can be told from
     * 0) is available afterwards from {@link #lastVarIntNegative()}.
     */
    public long readVarInt() {
        long start = offset();
        int r = readUint8();
        long num = r & 0x3F;
        boolean negative = (r & 0x40) != 0;
        int shift = 6;
        if ((r & 0x80) != 0) {
            while (true) {
                if (pos >= end) {
                    throw truncated("the rest of a varInt");
                }
                r = buf[pos++] & 0xFF;
                long bits = r & 0x7F;
                if (bits != 0) {
                    if (shift > 53) {
                        throw new MalformedUpdateException(Reason.INVALID_VAR_INT, start, "varInt larger than 2^53-1");
                    }
                    num |= bits << shift;
                    if (num > MAX_SAFE_INTEGER) {
                        throw new MalformedUpdateException(Reason.INVALID_VAR_INT, start, "varInt larger than 2^53-1");
                    }
                }
                if (r < 0x80) {
                    break;
                }
                shift += 7;
            }
        }
        lastVarIntNegative = negative;
        return negative ? -num : num;
    }

    /** The sign bit of the last {@link #readVarInt()} (true for -0 too). */
    public boolean lastVarIntNegative() {
        return lastVarIntNegative;
    }

    private int checkLength(long len, String what) {
        if (len > remaining()) {
            throw error(Reason.LENGTH_EXCEEDS_INPUT, what + " of " + len + " bytes, but only " + remaining() + " remain");
        }
        return (int) len;
    }

    /** Raw bytes, copied. */
    public byte[] readUint8Array(int len) {
        checkLength(len, "byte array");
        byte[] out = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }

    public byte[] readVarUint8Array() {
        return readUint8Array(checkLength(readVarUint(), "byte array"));
    }

    /** A reader over the next {@code varUint} bytes (no copy); this reader moves past them. */
    public Lib0Reader readVarUint8ArrayAsReader() {
        int len = checkLength(readVarUint(), "byte array");
        Lib0Reader sub = new Lib0Reader(buf, pos, len, offset());
        pos += len;
        return sub;
    }

    /** A reader over everything that remains; this reader is left at the end. */
    public Lib0Reader readTailAsReader() {
        Lib0Reader sub = new Lib0Reader(buf, pos, end - pos, offset());
        pos = end;
        return sub;
    }

    public String readVarString() {
        long start = offset();
        int len = checkLength(readVarUint(), "string");
        String s = Utf8.decode(buf, pos, len);
        if (s == null) {
            throw new MalformedUpdateException(Reason.INVALID_UTF8, start, "string is not valid UTF-8");
        }
        pos += len;
        return s;
    }

    public float readFloat32() {
        checkLength(4, "float32");
        int bits = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    public long readInt64() {
        checkLength(8, "64-bit value");
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return v;
    }

    public double readFloat64() {
        return Double.longBitsToDouble(readInt64());
    }

    /** lib0 {@code readAny}; see the class comment for the value model. */
    public Object readAny() {
        return readAny(0);
    }

    private Object readAny(int depth) {
        if (depth > MAX_ANY_DEPTH) {
            throw error(Reason.HOSTILE_SIZE, "any value nested deeper than " + MAX_ANY_DEPTH);
        }
        long start = offset();
        int tag = readUint8();
        switch (tag) {
            case 127:
                return Undefined.UNDEFINED;
            case 126:
                return null;
            case 125: {
                long v = readVarInt();
                return v == 0 && lastVarIntNegative ? -0.0 : (double) v;
            }
            case 124:
                return (double) readFloat32();
            case 123:
                return readFloat64();
            case 122:
                return BigInteger.valueOf(readInt64());
            case 121:
                return Boolean.FALSE;
            case 120:
                return Boolean.TRUE;
            case 119:
                return readVarString();
            case 118: {
                long n = readVarUint();
                // each entry needs at least 2 bytes (empty key, one-byte value)
                checkLength(n * 2, "object");
                JsObject obj = new JsObject();
                for (long i = 0; i < n; i++) {
                    String key = readVarString();
                    Object value = readAny(depth + 1);
                    if ("__proto__".equals(key)) {
                        continue; // obj["__proto__"] = v sets the prototype in JavaScript: no own property
                    }
                    obj.put(key, value);
                }
                return obj;
            }
            case 117: {
                long n = readVarUint();
                int len = checkLength(n, "array"); // each element needs at least 1 byte
                List<Object> arr = new ArrayList<>(len);
                for (int i = 0; i < len; i++) {
                    arr.add(readAny(depth + 1));
                }
                return arr;
            }
            case 116:
                return readVarUint8Array();
            default:
                throw new MalformedUpdateException(Reason.UNKNOWN_ANY_TAG, start, "unknown any tag " + tag);
        }
    }
}
