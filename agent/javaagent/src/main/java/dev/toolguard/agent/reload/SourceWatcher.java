package dev.toolguard.agent.reload;

import dev.toolguard.policy.signing.BundleManifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Tells whether the policy sources changed, by content: files and the visible files of directories are
 * hashed; http(s) sources (for a directory over HTTP, its manifest) are fetched with a conditional GET
 * ({@code If-None-Match} with the last {@code ETag}), so an unchanged remote bundle costs a 304 (SPEC §15).
 */
public final class SourceWatcher {

    /** The state of all sources at one moment; equal fingerprints mean nothing changed. */
    public record Fingerprint(String digest, List<String> unreachable) {
        public boolean allReachable() {
            return unreachable.isEmpty();
        }
    }

    private record Remote(String etag, String digest) {
    }

    private final List<String> sources;
    private final PolicyFetcher fetcher;
    private final Map<String, Remote> remotes = new ConcurrentHashMap<>();

    /** With the JDK's default HTTP set-up and {@code policy.max_bytes}' default, for tools and tests. */
    public SourceWatcher(List<String> sources) {
        this(sources, new PolicyFetcher(dev.toolguard.policy.load.BundleLoader.Http.defaults(),
                dev.toolguard.policy.load.BundleLoader.DEFAULT_MAX_BYTES));
    }

    public SourceWatcher(List<String> sources, PolicyFetcher fetcher) {
        this.sources = List.copyOf(sources);
        this.fetcher = fetcher;
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
                String n = p.getFileName().toString();
                return !n.startsWith(".") && dev.toolguard.policy.load.BundleLoader.isPolicyFileName(n);
            }).sorted().toList();
        }
    }

    private static String localDigest(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no such file or directory");
        }
        MessageDigest d = sha256();
        // in a signed directory every visible file counts, not only policy files: a new manifest, or a file added
        // beside the signed ones, is a change to check (and, for the added file, to refuse)
        List<Path> files = !Files.isDirectory(path) ? List.of(path)
                : Files.exists(path.resolve(BundleManifest.FILE_NAME)) ? visibleFilesOf(path) : policyFilesOf(path);
        for (Path f : files) {
            d.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(Files.readAllBytes(f));
            d.update((byte) 0);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Regular files of a directory whose names do not start with a dot, in name order. */
    public static List<Path> visibleFilesOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    /**
     * A conditional GET ({@code If-None-Match}) of the source, or of a directory's manifest (a URL ending in
     * {@code /}): the manifest names every file with its digest, so it alone tells whether the bundle changed.
     */
    private String remoteDigest(String source) throws IOException {
        String url = source.endsWith("/") ? source + BundleManifest.FILE_NAME : source;
        Remote known = remotes.get(url);
        PolicyFetcher.Response resp = fetcher.get(url, known == null ? null : known.etag());
        if (resp.status() == 304 && known != null) {
            return known.digest();
        }
        if (resp.status() == 404 && source.endsWith("/")) {
            remotes.remove(url);
            return "no manifest"; // the loader says what that means (refused when signing is required)
        }
        if (resp.status() / 100 != 2) {
            throw new IOException("HTTP " + resp.status());
        }
        String digest = HexFormat.of().formatHex(sha256().digest(resp.body()));
        remotes.put(url, new Remote(resp.etag(), digest));
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
