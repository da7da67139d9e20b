package dev.quire.server.hub;

import java.util.List;

/** Loads the current state of a document: its newest snapshot and the log records after it. */
public interface DocumentLoader {
    /** The updates to apply, in order (the snapshot state first); empty for a new document. */
    List<byte[]> load(String document);
}
