package dev.quire.server.auth;

/** HS256 tokens for tests outside this package. */
public final class JwtAuthenticatorTestTokens {
    private JwtAuthenticatorTestTokens() {
    }

    public static String token(String secret, String claims) throws Exception {
        return JwtAuthenticatorTest.token(secret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims);
    }
}
