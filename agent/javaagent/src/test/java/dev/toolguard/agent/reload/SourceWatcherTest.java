package dev.toolguard.agent.reload;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SourceWatcherTest {

    @TempDir
    Path dir;

    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aFileWhoseContentChangesChangesTheFingerprint() throws IOException {
        Path p = Files.writeString(dir.resolve("p.yaml"), "default: deny\n");
        SourceWatcher w = new SourceWatcher(List.of(p.toString()));
        String before = w.fingerprint().digest();

        Files.writeString(p, "default: allow\n");

        assertThat(w.fingerprint().digest()).isNotEqualTo(before);
    }

    @Test
    void rewritingTheSameContentKeepsTheFingerprint() throws IOException {
        Path p = Files.writeString(dir.resolve("p.yaml"), "default: deny\n");
        SourceWatcher w = new SourceWatcher(List.of(p.toString()));
        String before = w.fingerprint().digest();

        Files.writeString(p, "default: deny\n");

        assertThat(w.fingerprint().digest()).isEqualTo(before);
    }

    @Test
    void aNewPolicyFileInADirectoryChangesTheFingerprintButOtherFilesDoNot() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "x: 1\n");
        SourceWatcher w = new SourceWatcher(List.of(dir.toString()));
        String before = w.fingerprint().digest();

        Files.writeString(dir.resolve("notes.txt"), "not a policy");
        assertThat(w.fingerprint().digest()).isEqualTo(before);

        Files.writeString(dir.resolve("b.json"), "{}");
        assertThat(w.fingerprint().digest()).isNotEqualTo(before);
    }

    @Test
    void aMissingFileIsUnreachable() {
        SourceWatcher.Fingerprint f = new SourceWatcher(List.of(dir.resolve("gone.yaml").toString())).fingerprint();

        assertThat(f.allReachable()).isFalse();
        assertThat(f.unreachable()).singleElement().asString().contains("gone.yaml");
    }

    @Test
    void anUnchangedRemoteBundleIsAskedForWithAConditionalGet() throws IOException {
        AtomicReference<String> body = new AtomicReference<>("default: deny\n");
        List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle.yaml", ex -> {
            String etag = "\"" + Integer.toHexString(body.get().hashCode()) + "\"";
            String asked = ex.getRequestHeaders().getFirst("If-None-Match");
            ifNoneMatch.add(String.valueOf(asked));
            ex.getResponseHeaders().add("ETag", etag);
            if (etag.equals(asked)) {
                ex.sendResponseHeaders(304, -1);
            } else {
                byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                try (OutputStream o = ex.getResponseBody()) {
                    o.write(b);
                }
            }
            ex.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/bundle.yaml";
        SourceWatcher w = new SourceWatcher(List.of(url));

        String first = w.fingerprint().digest();
        String second = w.fingerprint().digest();
        body.set("default: allow\n");
        String third = w.fingerprint().digest();

        assertThat(second).isEqualTo(first);
        assertThat(third).isNotEqualTo(first);
        assertThat(ifNoneMatch.get(0)).isEqualTo("null");
        assertThat(ifNoneMatch.get(1)).startsWith("\"");
    }

    @Test
    void aRemoteErrorIsUnreachable() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();

        SourceWatcher.Fingerprint f = new SourceWatcher(
                List.of("http://127.0.0.1:" + server.getAddress().getPort() + "/b.yaml")).fingerprint();

        assertThat(f.unreachable()).singleElement().asString().contains("HTTP 503");
    }
}
