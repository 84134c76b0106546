package dev.toolguard.agent.reload;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Tells whether the policy sources changed, by content: files and the {@code *.yaml|*.yml|*.json} files of
 * directories are hashed; http(s) sources are fetched with a conditional GET ({@code If-None-Match} /
 * {@code If-Modified-Since}), so an unchanged remote bundle costs a 304.
 */
public final class SourceWatcher {

    /** The state of all sources at one moment; equal fingerprints mean nothing changed. */
    public record Fingerprint(String digest, List<String> unreachable) {
        public boolean allReachable() {
            return unreachable.isEmpty();
        }
    }

    private record Remote(String etag, String lastModified, String digest) {
    }

    private final List<String> sources;
    /** Created on the first http(s) source: an HTTP client (and its TLS set-up) costs start-up time. */
    private volatile HttpClient http;
    private final Map<String, Remote> remotes = new ConcurrentHashMap<>();

    public SourceWatcher(List<String> sources) {
        this.sources = List.copyOf(sources);
    }

    private HttpClient client() {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                c = http;
                if (c == null) {
                    c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
                    http = c;
                }
            }
        }
        return c;
    }

    /** Looks at every source now. Never throws: a source that cannot be read is listed as unreachable. */
    public Fingerprint fingerprint() {
        MessageDigest all = sha256();
        List<String> unreachable = new ArrayList<>();
        for (String source : sources) {
            all.update(source.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            String part;
            try {
                part = isUrl(source) ? remoteDigest(source) : localDigest(Path.of(source));
            } catch (IOException | RuntimeException e) {
                unreachable.add(source + " (" + e.getMessage() + ")");
                part = "unreachable";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unreachable.add(source + " (interrupted)");
                part = "unreachable";
            }
            all.update(part.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
        }
        return new Fingerprint(HexFormat.of().formatHex(all.digest()), List.copyOf(unreachable));
    }

    static boolean isUrl(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** Policy files of a directory, as the bundle loader takes them: its yaml, yml and json files that are not hidden. */
    static List<Path> policyFilesOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"));
            }).sorted().toList();
        }
    }

    private static String localDigest(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no such file or directory");
        }
        MessageDigest d = sha256();
        List<Path> files = Files.isDirectory(path) ? policyFilesOf(path) : List.of(path);
        for (Path f : files) {
            d.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(Files.readAllBytes(f));
            d.update((byte) 0);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private String remoteDigest(String url) throws IOException, InterruptedException {
        Remote known = remotes.get(url);
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (known != null && known.etag() != null) {
            req.header("If-None-Match", known.etag());
        }
        if (known != null && known.lastModified() != null) {
            req.header("If-Modified-Since", known.lastModified());
        }
        HttpResponse<byte[]> resp = client().send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() == 304 && known != null) {
            return known.digest();
        }
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + resp.statusCode());
        }
        String digest = HexFormat.of().formatHex(sha256().digest(resp.body()));
        remotes.put(url, new Remote(resp.headers().firstValue("ETag").orElse(null),
                resp.headers().firstValue("Last-Modified").orElse(null), digest));
        return digest;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
