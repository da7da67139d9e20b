package dev.quire.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final Clock NOW = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
    private final JwtAuthenticator auth = new JwtAuthenticator(SECRET, NOW);

    static String token(String secret, String header, String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    private static final String HS256 = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    @Test
    void grantsDocumentsMatchingThePatterns() throws Exception {
        String t = token(SECRET, HS256, "{\"docs\":[\"team-a/*\",\"readme\"],\"exp\":1800000060}");
        assertThat(auth.authorize(t, "team-a/notes")).isEqualTo(Access.READ_WRITE);
        assertThat(auth.authorize(t, "readme")).isEqualTo(Access.READ_WRITE);
        assertThat(auth.authorize(t, "team-b/notes")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize(t, "readme2")).isEqualTo(Access.DENIED);
    }

    @Test
    void readOnlyClaimGivesReadOnlyAccess() throws Exception {
        assertThat(auth.authorize(token(SECRET, HS256, "{\"readOnly\":true}"), "any")).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void refusesExpiredForgedUnsignedAndGarbageTokens() throws Exception {
        assertThat(auth.authorize(token(SECRET, HS256, "{\"exp\":1799999999}"), "d")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize(token(SECRET, HS256, "{\"nbf\":1800000100}"), "d")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize(token("another-secret-another-secret-xx", HS256, "{}"), "d")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize(token(SECRET, "{\"alg\":\"none\"}", "{}"), "d")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize("not.a.jwt", "d")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize("", "d")).isEqualTo(Access.DENIED);
        assertThat(auth.authorize(null, "d")).isEqualTo(Access.DENIED);
    }
}
