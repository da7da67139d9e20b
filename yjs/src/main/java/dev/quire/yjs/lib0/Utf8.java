package dev.quire.yjs.lib0;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 as JavaScript's {@code TextEncoder}/{@code TextDecoder(fatal)} do it.
 *
 * <p>Encoding writes a lone surrogate as U+FFFD ({@code EF BF BD}), where {@code String.getBytes}
 * would write {@code '?'}. Decoding is strict (malformed input is an error) and keeps a BOM.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The number of bytes {@link #encode} writes for {@code s}. */
    public static int encodedLength(String s) {
        int n = s.length();
        int len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                len += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 2; // 4 bytes for 2 chars
                i++;
            } else {
                len += 2; // 3 bytes (BMP, or U+FFFD for a lone surrogate)
            }
        }
        return len;
    }

    /** Writes {@code s} into {@code dst} at {@code pos}; returns the position after the last byte. */
    public static int encode(String s, byte[] dst, int pos) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[pos++] = (byte) c;
            } else if (c < 0x800) {
                dst[pos++] = (byte) (0xC0 | (c >> 6));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    dst[pos++] = (byte) (0xF0 | (cp >> 18));
                    dst[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    dst[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    dst[pos++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    dst[pos++] = (byte) 0xEF;
                    dst[pos++] = (byte) 0xBF;
                    dst[pos++] = (byte) 0xBD;
                }
            } else {
                dst[pos++] = (byte) (0xE0 | (c >> 12));
                dst[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                dst[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    /**
     * Decodes {@code len} bytes strictly.
     *
     * @return the string, or {@code null} when the bytes are not valid UTF-8
     */
    public static String decode(byte[] src, int off, int len) {
        boolean ascii = true;
        for (int i = off, end = off + len; i < end; i++) {
            if (src[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(src, off, len, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer cb = dec.decode(ByteBuffer.wrap(src, off, len));
            return cb.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
