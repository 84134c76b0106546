package dev.toolguard.agent.reload;

import dev.toolguard.agent.config.PolicyHttp;
import dev.toolguard.policy.load.BundleLoader;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * Fetches policy sources over HTTP(S) as {@code policy.http} says (SPEC §15): one JDK client whose TLS trusts
 * the JDK's CAs or, with {@code ca_file}, exactly the CAs of that file (certificates and host names are always
 * verified); every request bounded by {@code timeout}; every body bounded by {@code policy.max_bytes}, refused
 * from its {@code Content-Length} before reading, and read no further than the bound otherwise.
 */
public final class PolicyFetcher {

    /** One answer: 304 has no body; {@code etag} is the response's, or null. */
    public record Response(int status, byte[] body, String etag) {
    }

    private final BundleLoader.Http http;
    private final long maxBytes;

    public PolicyFetcher(BundleLoader.Http http, long maxBytes) {
        this.http = http;
        this.maxBytes = maxBytes;
    }

    /** The client and timeout of {@code policy.http}; an unreadable {@code ca_file} is an error saying so. */
    public static BundleLoader.Http httpOf(PolicyHttp settings) throws IOException {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.caFile() != null) {
            // checked now, so that an unusable ca_file refuses the policy at start rather than at the first fetch
            client.sslContext(trusting(settings));
        }
        return new BundleLoader.Http(client::build, settings.timeout());
    }

    private static SSLContext trusting(PolicyHttp settings) throws IOException {
        try (InputStream in = Files.newInputStream(settings.caFile())) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("policy.http.ca_file " + settings.caFile() + " holds no certificate");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                trusted.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("policy.http.ca_file " + settings.caFile() + " cannot be used: " + e.getMessage(), e);
        }
    }

    public BundleLoader.Http http() {
        return http;
    }

    /**
     * GETs {@code url}, conditionally when {@code etag} is given.
     *
     * @throws IOException when it cannot be fetched, or the body is larger than {@code policy.max_bytes}
     */
    public Response get(String url, String etag) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(http.timeout()).GET();
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        try {
            HttpResponse<InputStream> response = http.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String tag = response.headers().firstValue("ETag").orElse(null);
                if (response.statusCode() / 100 != 2) {
                    return new Response(response.statusCode(), new byte[0], tag);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > maxBytes) {
                    throw new IOException(url + ": the response is larger than policy.max_bytes (" + maxBytes
                            + " bytes): " + declared + " bytes");
                }
                byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                if (bytes.length > maxBytes) {
                    throw new IOException(url + ": the response is larger than policy.max_bytes (" + maxBytes + " bytes)");
                }
                return new Response(response.statusCode(), bytes, tag);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(url + ": " + e.getMessage(), e);
        }
    }
}
