package dev.quire.server.auth;

/** Decides, from the token a client presents, what it may do with a document. */
public interface Authenticator {
    /**
     * @param token the Hocuspocus token or y-websocket token parameter (may be empty)
     * @return the access, never null
     */
    Access authorize(String token, String document);

    /** Every connection may edit every document: local development only. */
    static Authenticator allowAll() {
        return (token, document) -> Access.READ_WRITE;
    }
}
