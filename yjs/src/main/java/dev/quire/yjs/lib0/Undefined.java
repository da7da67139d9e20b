package dev.quire.yjs.lib0;

/**
 * JavaScript's {@code undefined}, as a value of the lib0 {@code any} model (tag 127).
 * Java {@code null} stands for JavaScript {@code null}.
 */
public enum Undefined {
    UNDEFINED;

    @Override
    public String toString() {
        return "undefined";
    }
}
