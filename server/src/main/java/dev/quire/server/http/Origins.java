package dev.quire.server.http;

import dev.quire.core.DocumentNames;
import dev.quire.core.config.ConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The browser origins that may use a front whose authentication is off ({@code QUIRE_AUTH=none}). Without this
 * check any web page the developer visits could write documents: a {@code text/plain} POST and a WebSocket need
 * no CORS preflight, and a browser sends them to 127.0.0.1 as readily as anywhere.
 *
 * <p>Allowed: no {@code Origin} header (not a browser, or a same-origin GET); a loopback origin ({@code localhost},
 * 127.0.0.0/8, {@code [::1]}: pages served on this machine); the front's own origin when the {@code Host} is an IP
 * address; and the origins of {@code QUIRE_ALLOWED_ORIGINS}. Same-origin by host <em>name</em> is not enough: a
 * foreign page can rebind its own name to this front's address by DNS (rebinding), and then its Origin and the
 * Host it sends agree.
 */
public final class Origins {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> allowed;

    public Origins(List<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * The origins of a comma-separated setting, normalised.
     *
     * @throws ConfigException naming {@code setting} for an entry that is not {@code scheme://host[:port]}
     */
    public static List<String> parse(String setting, String value) {
        List<String> out = new ArrayList<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            String n = normalise(e);
            if (n == null) {
                throw new ConfigException(setting + ": '" + e + "' is not an origin such as https://editor.example.com or http://devbox:3000");
            }
            out.add(n);
        }
        return out;
    }

    /** {@code scheme://host[:port]} in lower case without a default port, or null when it is not an origin. */
    static String normalise(String origin) {
        URI u;
        try {
            u = new URI(origin);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawUserInfo() != null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty()) || u.getRawQuery() != null || u.getRawFragment() != null) {
            return null;
        }
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /**
     * Why a request with this {@code Origin} (null when absent) and {@code Host} header is refused, or null when it
     * is allowed.
     */
    public String refusal(String origin, String host) {
        if (origin == null) {
            return null;
        }
        String n = normalise(origin.trim());
        if (n != null && (allowed.contains(n) || isLoopbackOrigin(n) || isOwnAddress(n, host))) {
            return null;
        }
        return "requests from the web page origin '" + DocumentNames.forLog(origin) + "' are refused while authentication is off"
                + " (QUIRE_AUTH=none): only pages served from this machine or from QUIRE_ALLOWED_ORIGINS may use this front";
    }

    private static String hostOf(String normalised) {
        String authority = normalised.substring(normalised.indexOf("://") + 3);
        if (authority.startsWith("[")) {
            return authority.substring(0, authority.indexOf(']') + 1);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    private static boolean isLoopbackOrigin(String normalised) {
        String h = hostOf(normalised);
        if (h.equals("localhost") || h.endsWith(".localhost")) { // browsers resolve *.localhost to loopback themselves
            return true;
        }
        InetAddress a = literal(h);
        return a != null && a.isLoopbackAddress();
    }

    /** The page was served by this front at an IP address: a name could be rebound, an address cannot. */
    private static boolean isOwnAddress(String normalised, String host) {
        if (host == null || literal(hostOf(normalised)) == null) {
            return false;
        }
        String authority = normalised.substring(normalised.indexOf("://") + 3);
        return authority.equals(host.trim().toLowerCase(Locale.ROOT));
    }

    /** The address an IP literal names, or null for a host name (resolving one here would ask DNS for every request). */
    static InetAddress literal(String host) {
        try {
            if (host.startsWith("[") && host.endsWith("]")) {
                return InetAddress.getByName(host.substring(1, host.length() - 1)); // a colon: parsed, never looked up
            }
            if (!IPV4.matcher(host).matches()) {
                return null;
            }
            byte[] b = new byte[4];
            String[] parts = host.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
