package dev.quire.core.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record format of the updates topic: key = document name (UTF-8), value = one Yjs update in v1
 * encoding, headers {@value #ORIGIN_HEADER} (the front that produced it) and {@value #CONNECTION_HEADER}
 * (the connection on that front). A front recognises its own echo by the origin header.
 */
public final class UpdateRecords {
    public static final String ORIGIN_HEADER = "quire.origin";
    public static final String CONNECTION_HEADER = "quire.connection";

    private UpdateRecords() {
    }

    /** The document name of a key, or null when the key is missing or not valid UTF-8. */
    public static String documentOf(byte[] key) {
        if (key == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static byte[] keyOf(String document) {
        return document.getBytes(StandardCharsets.UTF_8);
    }

    /** The last value of header {@code name} as UTF-8 text, or null. */
    public static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
