package dev.quire.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs signed with HS256 (a shared secret), RS256 (an RSA public key) or ES256 (a P-256 public key). Claims: {@code docs} (document name patterns, {@code *} matches any run of
 * characters; absent = every document), {@code readOnly} (boolean), and the standard {@code exp}/{@code nbf}.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final byte[] secret;
    private final PublicKey publicKey;
    private final Clock clock;

    /** HS256 only. */
    public JwtAuthenticator(String secret, Clock clock) {
        this(secret, null, clock);
    }

    /**
     * @param secret HS256 secret, or empty/null to refuse HS256 tokens
     * @param publicKey RSA key (RS256) or EC P-256 key (ES256), or null to accept HS256 only
     */
    public JwtAuthenticator(String secret, PublicKey publicKey, Clock clock) {
        this.secret = secret == null || secret.isEmpty() ? null : secret.getBytes(StandardCharsets.UTF_8);
        this.publicKey = publicKey;
        this.clock = clock;
    }

    @Override
    public Access authorize(String token, String document) {
        if (token == null || token.isEmpty()) {
            return Access.DENIED;
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return Access.DENIED;
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            if (!verify(header.path("alg").asText(), signed, Base64.getUrlDecoder().decode(parts[2]))) {
                return Access.DENIED;
            }
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long now = clock.instant().getEpochSecond();
            if (claims.has("exp") && claims.get("exp").asLong() <= now) {
                return Access.DENIED;
            }
            if (claims.has("nbf") && claims.get("nbf").asLong() > now) {
                return Access.DENIED;
            }
            JsonNode docs = claims.get("docs");
            if (docs != null && docs.isArray()) {
                boolean match = false;
                for (JsonNode p : docs) {
                    if (matches(p.asText(), document)) {
                        match = true;
                        break;
                    }
                }
                if (!match) {
                    return Access.DENIED;
                }
            }
            return claims.path("readOnly").asBoolean(false) ? Access.READ_ONLY : Access.READ_WRITE;
        } catch (Exception e) {
            return Access.DENIED;
        }
    }

    private boolean verify(String alg, byte[] signed, byte[] signature) throws Exception {
        switch (alg) {
            case "HS256" -> {
                if (secret == null) {
                    return false;
                }
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return MessageDigest.isEqual(mac.doFinal(signed), signature);
            }
            case "RS256" -> {
                if (!(publicKey instanceof RSAPublicKey)) {
                    return false;
                }
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initVerify(publicKey);
                s.update(signed);
                return s.verify(signature);
            }
            case "ES256" -> {
                if (!(publicKey instanceof ECPublicKey) || signature.length != 64) {
                    return false;
                }
                Signature s = Signature.getInstance("SHA256withECDSA");
                s.initVerify(publicKey);
                s.update(signed);
                return s.verify(derOf(signature));
            }
            default -> {
                return false; // "none" and every other algorithm
            }
        }
    }

    /** The JWS signature R||S (32 bytes each) as the DER SEQUENCE of two INTEGERs java.security expects. */
    static byte[] derOf(byte[] rs) {
        byte[] r = derInteger(java.util.Arrays.copyOfRange(rs, 0, rs.length / 2));
        byte[] s = derInteger(java.util.Arrays.copyOfRange(rs, rs.length / 2, rs.length));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x30);
        out.write(r.length + s.length); // at most 2 * 35 bytes: short form
        out.writeBytes(r);
        out.writeBytes(s);
        return out.toByteArray();
    }

    private static byte[] derInteger(byte[] unsigned) {
        int i = 0;
        while (i < unsigned.length - 1 && unsigned[i] == 0) {
            i++;
        }
        boolean pad = (unsigned[i] & 0x80) != 0;
        int len = unsigned.length - i + (pad ? 1 : 0);
        byte[] out = new byte[2 + len];
        out[0] = 0x02;
        out[1] = (byte) len;
        System.arraycopy(unsigned, i, out, 2 + (pad ? 1 : 0), unsigned.length - i);
        return out;
    }

    /**
     * {@code *} matches any run of characters; everything else literally. Without backtracking: the parts between
     * stars are found left to right, each at its first place after the previous one, which for stars alone is exact
     * (a later place can only leave less room for what follows). The regex this replaced backtracked: {@code
     * team-*}{@code /*}{@code /*.md} against 2,000 slashes took 14.5 s for one Auth.
     */
    static boolean matches(String pattern, String document) {
        String[] parts = pattern.split("\\*", -1);
        if (parts.length == 1) {
            return pattern.equals(document);
        }
        String first = parts[0];
        String last = parts[parts.length - 1];
        if (document.length() < first.length() + last.length() || !document.startsWith(first) || !document.endsWith(last)) {
            return false;
        }
        int from = first.length();
        int end = document.length() - last.length();
        for (int i = 1; i < parts.length - 1; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            int at = document.indexOf(parts[i], from);
            if (at < 0 || at + parts[i].length() > end) {
                return false;
            }
            from = at + parts[i].length();
        }
        return true;
    }
}
