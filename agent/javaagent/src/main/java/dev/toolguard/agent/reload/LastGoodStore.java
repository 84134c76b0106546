package dev.toolguard.agent.reload;

import dev.toolguard.policy.load.PolicyBundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A copy of the last bundle that loaded ({@code policy.last_good}), so a restart while a source is unreachable
 * still decides with the policy that was in force. The copy is a directory of the bundle's files, numbered
 * to keep their order; it is replaced whole, never left half written.
 */
public final class LastGoodStore {

    private final Path dir;

    public LastGoodStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Copies the bundle's files. Best effort: a copy that cannot be written leaves the previous one. */
    public void save(PolicyBundle bundle) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, dir.getFileName() + ".new-");
        try {
            List<String> sources = bundle.sources();
            for (int i = 0; i < sources.size(); i++) {
                String source = sources.get(i);
                Path target = staging.resolve(String.format("%03d-%s", i, fileNameOf(source)));
                try (InputStream in = open(source)) {
                    Files.copy(in, target);
                }
            }
            Path old = parent.resolve(dir.getFileName() + ".old");
            deleteTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old);
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, dir);
            }
            deleteTree(old);
        } finally {
            deleteTree(staging);
        }
    }

    /** The saved copy as loadable sources, or empty when there is none. */
    public Optional<List<String>> sources() {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try {
            List<Path> files = SourceWatcher.policyFilesOf(dir);
            return files.isEmpty() ? Optional.empty() : Optional.of(List.of(dir.toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String fileNameOf(String source) {
        String name = source.replaceAll("[?#].*$", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (name.isEmpty()) {
            name = "bundle.yaml";
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json") ? name : name + ".yaml";
    }

    private static InputStream open(String source) throws IOException {
        if (!SourceWatcher.isUrl(source)) {
            return Files.newInputStream(Path.of(source));
        }
        try {
            HttpResponse<InputStream> resp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NORMAL).build()
                    .send(HttpRequest.newBuilder(URI.create(source)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() / 100 != 2) {
                resp.body().close();
                throw new IOException(source + ": HTTP " + resp.statusCode());
            }
            return resp.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + source, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
