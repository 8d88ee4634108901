package dev.mobilenet.hub;

import dev.mobilenet.hub.HubException.Kind;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** URLs of the Hub: huggingface_hub's quoting, origins (where the token may go) and the checks on redirect targets. */
final class HubUrls {
    private HubUrls() {
    }

    /** huggingface_hub's hf_hub_url: the revision fully percent-encoded, the file name with its slashes kept. */
    static String resolveUrl(String endpoint, String repoId, String revision, String filename) {
        return endpoint + "/" + repoId + "/resolve/" + quote(revision, false) + "/" + quote(filename, true);
    }

    /** Python's urllib.parse.quote: unreserved characters kept (and '/' when asked), the rest %XX of UTF-8. */
    static String quote(String s, boolean keepSlash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.'
                    || c == '-' || c == '~' || keepSlash && c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    /** A value from a server for a message: quoted, control characters replaced, at most 100 characters. */
    static String quoteValue(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return "'" + t.replaceAll("\\p{Cntrl}", "?") + "'";
    }

    /** Same scheme, host and port: the only case where the token may travel. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** {@code target} when it is an HTTP(S) URL with a host; a redirect anywhere else is refused. */
    static URI checkHttp(URI target, URI from) {
        String s = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https") || target.getHost() == null) {
            throw new HubException(Kind.BAD_RESPONSE, from + " redirected to a non-HTTP URL "
                    + quoteValue(target.toString()));
        }
        return target;
    }

    static URI uri(String s) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new HubException(Kind.BAD_RESPONSE, "invalid URL " + quoteValue(s));
        }
    }
}
