package dev.quire.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quire.core.config.ConfigException;
import dev.quire.core.config.Env;
import dev.quire.server.ServerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RS256 and ES256 tokens signed here with keys generated here; the settings that configure the key. */
class JwtPublicKeyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC);
    private static KeyPair rsa;
    private static KeyPair ec;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = r.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = e.generateKeyPair();
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A JWT signed with {@code alg} (RS256: PKCS#1 v1.5; ES256: R||S as JWS wants, via the P1363 format). */
    static String token(String alg, PrivateKey key, String claims) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String input = b64.encodeToString(("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64.encodeToString(s.sign());
    }

    @Test
    void rs256TokensAreVerifiedWithTheRsaKeyAndCarryTheSameClaims() throws Exception {
        JwtAuthenticator a = new JwtAuthenticator("", PemKeys.publicKey(pem(rsa.getPublic())), CLOCK);
        assertThat(a.authorize(token("RS256", rsa.getPrivate(), "{\"docs\":[\"notes/*\"]}"), "notes/a")).isEqualTo(Access.READ_WRITE);
        assertThat(a.authorize(token("RS256", rsa.getPrivate(), "{\"docs\":[\"notes/*\"]}"), "other")).isEqualTo(Access.DENIED);
        assertThat(a.authorize(token("RS256", rsa.getPrivate(), "{\"readOnly\":true}"), "x")).isEqualTo(Access.READ_ONLY);
        assertThat(a.authorize(token("RS256", rsa.getPrivate(), "{\"exp\":1799999999}"), "x")).isEqualTo(Access.DENIED);
        assertThat(a.authorize(token("RS256", rsa.getPrivate(), "{\"nbf\":1800000001}"), "x")).isEqualTo(Access.DENIED);
        assertThat(a.authorize(token("RS256", rsa.getPrivate(), "{\"exp\":1800000001,\"nbf\":1799999999}"), "x"))
                .isEqualTo(Access.READ_WRITE);
    }

    @Test
    void es256TokensAreVerifiedWhateverTheirRAndSLook() throws Exception {
        JwtAuthenticator a = new JwtAuthenticator(null, PemKeys.publicKey(pem(ec.getPublic())), CLOCK);
        // many signatures: R and S with leading zero bytes and with the high bit set both occur
        for (int i = 0; i < 300; i++) {
            String t = token("ES256", ec.getPrivate(), "{\"docs\":[\"d" + i + "\"]}");
            assertThat(a.authorize(t, "d" + i)).as("token %s", i).isEqualTo(Access.READ_WRITE);
        }
        assertThat(a.authorize(token("ES256", ec.getPrivate(), "{\"readOnly\":true}"), "x")).isEqualTo(Access.READ_ONLY);
    }

    @Test
    void wrongKeysTamperedTokensAndOtherAlgorithmsAreDenied() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair other = g.generateKeyPair();
        JwtAuthenticator withEc = new JwtAuthenticator("", ec.getPublic(), CLOCK);
        assertThat(withEc.authorize(token("ES256", other.getPrivate(), "{}"), "x")).isEqualTo(Access.DENIED);
        assertThat(withEc.authorize(token("RS256", rsa.getPrivate(), "{}"), "x")).isEqualTo(Access.DENIED);
        String t = token("ES256", ec.getPrivate(), "{\"readOnly\":true}");
        String[] p = t.split("\\.");
        String forged = p[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "." + p[2];
        assertThat(withEc.authorize(forged, "x")).isEqualTo(Access.DENIED);
        // no secret configured: HS256 tokens are refused, whatever they are signed with
        assertThat(withEc.authorize(JwtAuthenticatorTestTokens.token("0123456789abcdef0123456789abcdef", "{}"), "x"))
                .isEqualTo(Access.DENIED);
        assertThat(withEc.authorize(p[0] + "." + p[1] + ".", "x")).isEqualTo(Access.DENIED);
        // RSA key with the secret: HS256 still works, ES256 is refused
        String secret = "0123456789abcdef0123456789abcdef";
        JwtAuthenticator both = new JwtAuthenticator(secret, rsa.getPublic(), CLOCK);
        assertThat(both.authorize(JwtAuthenticatorTestTokens.token(secret, "{}"), "x")).isEqualTo(Access.READ_WRITE);
        assertThat(both.authorize(token("RS256", rsa.getPrivate(), "{}"), "x")).isEqualTo(Access.READ_WRITE);
        assertThat(both.authorize(token("ES256", ec.getPrivate(), "{}"), "x")).isEqualTo(Access.DENIED);
    }

    private static Env env(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return new Env(m);
    }

    @Test
    void settingsLoadTheKeyInlineOrFromAFile(@TempDir Path dir) throws Exception {
        assertThat(new ServerSettings(env("QUIRE_JWT_PUBLIC_KEY", pem(rsa.getPublic()))).jwtPublicKey()).isEqualTo(rsa.getPublic());
        Path f = dir.resolve("ec.pem");
        Files.writeString(f, pem(ec.getPublic()));
        assertThat(new ServerSettings(env("QUIRE_JWT_PUBLIC_KEY_FILE", f.toString())).jwtPublicKey()).isEqualTo(ec.getPublic());
        assertThat(new ServerSettings(env("QUIRE_AUTH", "none")).jwtPublicKey()).isNull();
    }

    @Test
    void settingsNameTheVariableWhenTheKeyIsMissingOrUnusable(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new ServerSettings(env()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("QUIRE_JWT_SECRET").hasMessageContaining("QUIRE_JWT_PUBLIC_KEY_FILE");
        assertThatThrownBy(() -> new ServerSettings(env("QUIRE_JWT_PUBLIC_KEY_FILE", dir.resolve("missing.pem").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("QUIRE_JWT_PUBLIC_KEY_FILE");
        Path bad = dir.resolve("bad.pem");
        Files.writeString(bad, "not a key");
        assertThatThrownBy(() -> new ServerSettings(env("QUIRE_JWT_PUBLIC_KEY_FILE", bad.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("QUIRE_JWT_PUBLIC_KEY_FILE");
        assertThatThrownBy(() -> new ServerSettings(env("QUIRE_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("QUIRE_JWT_PUBLIC_KEY");
        assertThatThrownBy(() -> new ServerSettings(env("QUIRE_JWT_SECRET", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("QUIRE_JWT_SECRET");
    }

    @Test
    void derConversionOfSignaturesWithZeroAndHighBytes() {
        byte[] rs = new byte[64];
        rs[0] = 0;
        rs[1] = 0;
        rs[2] = 5;
        rs[32] = (byte) 0x80;
        byte[] der = JwtAuthenticator.derOf(rs);
        assertThat(der[0]).isEqualTo((byte) 0x30);
        assertThat(der[2]).isEqualTo((byte) 0x02);
        assertThat(der[3]).isEqualTo((byte) 30);     // R without its two leading zeros
        assertThat(der[4 + 30]).isEqualTo((byte) 0x02);
        assertThat(der[4 + 30 + 1]).isEqualTo((byte) 33); // S with a 0x00 before its high bit
        assertThat(der[1]).isEqualTo((byte) (der.length - 2));
    }
}
