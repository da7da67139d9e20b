package dev.quire.cli.yjs;

/** One input's bytes (base64 already decoded) and the name error messages give it: a path or {@code <stdin>}. */
record Input(String name, byte[] bytes) {
}
