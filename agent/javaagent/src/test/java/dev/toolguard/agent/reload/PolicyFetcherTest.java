package dev.toolguard.agent.reload;

import com.sun.net.httpserver.HttpServer;
import dev.toolguard.agent.config.PolicyHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** policy.http and policy.max_bytes on a real HTTP server (SPEC §15). */
class PolicyFetcherTest {

    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/small", ex -> {
            ex.getResponseHeaders().set("ETag", "\"v1\"");
            if ("\"v1\"".equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
                ex.sendResponseHeaders(304, -1);
            } else {
                ex.sendResponseHeaders(200, 5);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write("hello".getBytes());
                }
            }
            ex.close();
        });
        server.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0); // no Content-Length: the bound must hold while reading
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[4096]);
            } catch (IOException e) {
                // the client stopped reading: that is the point
            }
            ex.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private PolicyFetcher fetcher(long maxBytes) throws IOException {
        return new PolicyFetcher(PolicyFetcher.httpOf(new PolicyHttp(Duration.ofSeconds(5), null)), maxBytes);
    }

    @Test
    void aConditionalGetWithTheEtagIsA304WithoutBody() throws IOException {
        PolicyFetcher f = fetcher(1000);

        PolicyFetcher.Response first = f.get(base + "/small", null);
        PolicyFetcher.Response again = f.get(base + "/small", first.etag());

        assertThat(first.status()).isEqualTo(200);
        assertThat(new String(first.body())).isEqualTo("hello");
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void aResponseLargerThanMaxBytesIsRefusedByItsLengthOrWhileRead() throws IOException {
        assertThatThrownBy(() -> fetcher(4).get(base + "/small", null))
                .hasMessageContaining("larger than policy.max_bytes (4 bytes)");
        assertThatThrownBy(() -> fetcher(100).get(base + "/chunked", null))
                .hasMessageContaining("larger than policy.max_bytes (100 bytes)");
    }

    @Test
    void aCaFileThatHoldsNoCertificateIsAnErrorNamingIt() throws IOException {
        Path empty = Files.createTempFile("ca", ".pem");
        try {
            assertThatThrownBy(() -> PolicyFetcher.httpOf(new PolicyHttp(Duration.ofSeconds(1), empty)))
                    .hasMessageContaining("policy.http.ca_file");
        } finally {
            Files.delete(empty);
        }
    }
}
