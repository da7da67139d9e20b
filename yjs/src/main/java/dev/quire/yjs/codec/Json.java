package dev.quire.yjs.codec;

import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.MalformedUpdateException.Reason;
import dev.quire.yjs.lib0.JsJson;

/** JSON payloads of v1 updates (embeds, format values, legacy JSON content), with codec errors. */
final class Json {
    private Json() {
    }

    /** {@code JSON.stringify}; a value JavaScript cannot stringify (undefined, bigint) cannot be written as v1. */
    static String stringify(Object value) {
        String s;
        try {
            s = JsJson.stringify(value);
        } catch (JsJson.JsonException e) {
            throw new MalformedUpdateException(Reason.INVALID_VALUE, -1, "value cannot be written as v1 JSON: " + e.getMessage());
        }
        if (s == null) {
            throw new MalformedUpdateException(Reason.INVALID_VALUE, -1, "undefined cannot be written as v1 JSON");
        }
        return s;
    }

    static Object parse(String text, UpdateDecoder decoder) {
        try {
            return JsJson.parse(text);
        } catch (JsJson.JsonException e) {
            throw new MalformedUpdateException(Reason.INVALID_JSON, decoder.rest().offset(), "invalid JSON: " + e.getMessage());
        }
    }
}
