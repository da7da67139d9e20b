package dev.quire.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs signed with HS256. Claims: {@code docs} (document name patterns, {@code *} matches any run of
 * characters; absent = every document), {@code readOnly} (boolean), and the standard {@code exp}/{@code nbf}.
 */
public final class JwtAuthenticator implements Authenticator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final byte[] secret;
    private final Clock clock;

    public JwtAuthenticator(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
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
            if (!"HS256".equals(header.path("alg").asText())) {
                return Access.DENIED;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[2]))) {
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

    /** {@code *} matches any run of characters; everything else literally. */
    static boolean matches(String pattern, String document) {
        String re = java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*"));
        return Pattern.compile(re, Pattern.DOTALL).matcher(document).matches();
    }
}
