package dev.mobilenet.hub;

import dev.mobilenet.Version;
import dev.mobilenet.hub.HubException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;

/**
 * The HTTP side of the Hub client: one client that never follows redirects itself, and requests that carry the
 * token only to the endpoint's origin.
 */
final class HubHttp {
    final HubSettings settings;
    final HttpClient client;
    private final String userAgent;

    HubHttp(HubSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.downloadTimeout())
                .build();
        this.userAgent = "mobilenet-java/" + Version.get() + "; java/" + System.getProperty("java.version");
    }

    /** A request to {@code url}, with the token when {@code auth}. */
    HttpRequest.Builder request(URI url, boolean auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .header("User-Agent", userAgent)
                .header("Accept-Encoding", "identity");
        if (auth) {
            settings.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        }
        return b;
    }

    URI endpointUri() {
        return URI.create(settings.endpoint());
    }

    String tokenAdvice() {
        return settings.token().isPresent()
                ? "the token sent (HF_TOKEN or the token file) is invalid or has no access to it"
                : "set HF_TOKEN to a token that has access";
    }

    static HubException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new HubException(Kind.INTERRUPTED, "interrupted while fetching " + what, e);
    }

    static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // The response is abandoned either way.
        }
    }
}
