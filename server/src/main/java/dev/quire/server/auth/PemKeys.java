package dev.quire.server.auth;

import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads a public key ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo) of RSA or EC. */
public final class PemKeys {
    private PemKeys() {
    }

    /**
     * @throws IllegalArgumentException when the text is not a PEM public key of RSA or EC
     */
    public static PublicKey publicKey(String pem) {
        String text = pem.trim();
        if (text.contains("BEGIN RSA PUBLIC KEY")) {
            throw new IllegalArgumentException("PKCS#1 'RSA PUBLIC KEY' is not supported: convert it with "
                    + "'openssl rsa -RSAPublicKey_in -pubout' to a 'PUBLIC KEY'");
        }
        if (!text.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException("no '-----BEGIN PUBLIC KEY-----' block found");
        }
        String body = text.substring(text.indexOf("-----BEGIN PUBLIC KEY-----") + "-----BEGIN PUBLIC KEY-----".length());
        int end = body.indexOf("-----END PUBLIC KEY-----");
        if (end < 0) {
            throw new IllegalArgumentException("no '-----END PUBLIC KEY-----' line found");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(body.substring(0, end).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM body is not base64: " + e.getMessage(), e);
        }
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (Exception ignored) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the PEM block is neither an RSA nor an EC public key");
    }
}
