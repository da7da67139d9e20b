package dev.quire.server.auth;

/** What a connection may do with a document. */
public enum Access {
    DENIED, READ_ONLY, READ_WRITE
}
