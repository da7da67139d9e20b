package dev.quire.persister;

/** The little JSON the persister writes (quarantined headers, the readiness answer). */
final class Json {
    private Json() {
    }

    /** {@code s} as a JSON string literal; U+0000 becomes U+FFFD, which jsonb cannot hold. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == 0) {
                sb.append('\ufffd'); // jsonb cannot hold U+0000
            } else if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
