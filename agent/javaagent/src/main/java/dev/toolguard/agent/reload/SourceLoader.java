package dev.toolguard.agent.reload;

import dev.toolguard.agent.config.PolicySigning;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.signing.BundleManifest;
import dev.toolguard.policy.signing.ManifestCheck;
import dev.toolguard.policy.signing.SigningKeys;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reads the configured sources as one bundle, checking its signed manifest when {@code policy.signing} is set
 * (SPEC §15), and reading a directory over HTTP (a URL ending in {@code /}) through its manifest.
 *
 * <p>A signed bundle is one directory, local or over HTTP, holding {@code toolguard-bundle.sig} beside its
 * files: one manifest, one revision, so "the revision of these sources" has one meaning. It loads only when
 * the manifest verifies under a configured key, the directory's files (not hidden, not sub-directories) are
 * exactly the listed ones with their digests, and its revision is no lower than the highest one loaded
 * before for these sources (in this process, or kept with the last good copy). Every refusal is a load error
 * naming the source and the reason, so it goes where any rejected bundle goes (SPEC §10).
 */
public final class SourceLoader {

    private final List<String> sources;
    private final long maxBytes;
    private final PolicySigning signing;
    private final PolicyFetcher fetcher;
    /** The highest revision loaded for these sources; a lower one is an older bundle replayed. */
    private final AtomicLong floor = new AtomicLong(-1);

    public SourceLoader(List<String> sources, long maxBytes, PolicySigning signing, PolicyFetcher fetcher) {
        this.sources = List.copyOf(sources);
        this.maxBytes = maxBytes;
        this.signing = signing;
        this.fetcher = fetcher;
    }

    /** Raises the lowest revision still accepted: a signed bundle that now decides, or one kept as last good. */
    public void loaded(BundleSignature signature) {
        if (signature != null) {
            floor.accumulateAndGet(signature.revision(), Math::max);
        }
    }

    public long floor() {
        return floor.get();
    }

    /** True when the source is a directory: a local one, or a URL ending in {@code /}. */
    static boolean isDirectory(String source) {
        return SourceWatcher.isUrl(source) ? source.endsWith("/") : Files.isDirectory(Path.of(source));
    }

    /** Never throws: every problem is in the result. */
    public LoadResult load() {
        try {
            return loadChecked();
        } catch (IOException | RuntimeException e) {
            return refused(sources.isEmpty() ? "(bundle)" : sources.get(0), String.valueOf(e.getMessage()));
        }
    }

    private LoadResult loadChecked() throws IOException {
        boolean anyHttpDirectory = sources.stream().anyMatch(s -> SourceWatcher.isUrl(s) && s.endsWith("/"));
        if (!signing.configured() && !anyHttpDirectory) {
            return BundleLoader.load(sources, Map.of(), maxBytes, fetcher.http());
        }
        if (sources.size() != 1 || !isDirectory(sources.get(0))) {
            return refused(sources.isEmpty() ? "(bundle)" : sources.get(0), signing.configured()
                    ? "a signed policy is one directory (a local one, or a URL ending in /) holding "
                    + BundleManifest.FILE_NAME + " beside its files; policy.sources names " + sources
                    : "a directory over HTTP is read through its " + BundleManifest.FILE_NAME
                    + ", so it must be the only policy source");
        }
        String source = sources.get(0);
        if (signing.required() && signing.publicKeys().isEmpty()) {
            // a signature is required but no key could verify one: nothing may load
            return refused(source, "policy.signing.required is true but policy.signing.public_keys lists no key");
        }
        boolean remote = SourceWatcher.isUrl(source);
        byte[] manifestBytes = remote ? remoteManifest(source) : localManifest(Path.of(source));
        if (manifestBytes == null) {
            if (signing.required()) {
                return refused(source, "unsigned bundle refused: there is no " + BundleManifest.FILE_NAME
                        + " and policy.signing.required is true");
            }
            if (remote) {
                return refused(source, "a directory over HTTP needs its " + BundleManifest.FILE_NAME + " to list its files");
            }
            return BundleLoader.load(sources, Map.of(), maxBytes, fetcher.http());
        }
        BundleManifest manifest;
        try {
            manifest = BundleManifest.parse(manifestBytes);
        } catch (IOException e) {
            return refused(source, "bundle refused: " + e.getMessage());
        }
        Map<String, byte[]> files = remote ? remoteFiles(source, manifest) : localFiles(Path.of(source));
        String problem;
        if (signing.publicKeys().isEmpty()) {
            problem = ManifestCheck.filesProblem(manifest, files); // a listing to read, with no key to trust
        } else {
            problem = ManifestCheck.problem(manifest, files, publicKeys());
        }
        if (problem != null) {
            return refused(source, "bundle refused: " + problem);
        }
        long before = floor.get();
        if (!signing.publicKeys().isEmpty() && manifest.revision() < before) {
            return refused(source, "bundle refused: revision " + manifest.revision() + " is older than revision "
                    + before + " loaded before from these sources (an older bundle served again)");
        }
        Map<String, byte[]> policyFiles = new LinkedHashMap<>();
        files.forEach((name, bytes) -> {
            if (BundleLoader.isPolicyFileName(name)) {
                policyFiles.put(remote ? source + name : Path.of(source).resolve(name).toString(), bytes);
            }
        });
        if (policyFiles.isEmpty()) {
            return refused(source, "bundle refused: the manifest lists no *.yaml, *.yml or *.json file");
        }
        LoadResult result = BundleLoader.load(List.of(), policyFiles, maxBytes, fetcher.http());
        if (!result.ok() || signing.publicKeys().isEmpty() || !(result.bundle() instanceof CompiledBundle compiled)) {
            return result;
        }
        return new LoadResult(compiled.signedBy(new BundleSignature(manifest.revision(), manifest.keyId())), List.of());
    }

    /**
     * The ids of the configured keys, which the last good copy is bound to; a key file that cannot be read
     * counts by its path, so that the binding still changes with the configuration.
     */
    public static List<String> keyIds(List<Path> publicKeys) {
        List<String> ids = new ArrayList<>();
        for (Path p : publicKeys) {
            try {
                ids.add(SigningKeys.keyId(SigningKeys.readPublic(p)));
            } catch (IOException e) {
                ids.add("unreadable:" + p);
            }
        }
        return List.copyOf(ids);
    }

    /** The configured keys, read at every load so a key file replaced on disk counts from the next load. */
    private List<PublicKey> publicKeys() throws IOException {
        List<PublicKey> keys = new ArrayList<>();
        for (Path p : signing.publicKeys()) {
            keys.add(SigningKeys.readPublic(p));
        }
        return keys;
    }

    private byte[] localManifest(Path dir) throws IOException {
        Path file = dir.resolve(BundleManifest.FILE_NAME);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return readBounded(file);
    }

    private byte[] remoteManifest(String base) throws IOException {
        PolicyFetcher.Response r = fetcher.get(base + BundleManifest.FILE_NAME, null);
        if (r.status() == 404) {
            return null;
        }
        if (r.status() != 200) {
            throw new IOException(base + BundleManifest.FILE_NAME + ": HTTP status " + r.status());
        }
        return r.body();
    }

    /** The directory's files as the manifest must list them: regular, not hidden, not the manifest. */
    private Map<String, byte[]> localFiles(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                // symbolic links and other non-directories are read (and refused as not regular files)
                if (name.startsWith(".") || name.equals(BundleManifest.FILE_NAME) || Files.isDirectory(p)) {
                    continue;
                }
                byte[] bytes = readBounded(p);
                total += bytes.length;
                if (total > maxBytes) {
                    throw new IOException(dir + ": the bundle's files together are larger than policy.max_bytes ("
                            + maxBytes + " bytes)");
                }
                files.put(name, bytes);
            }
        }
        return files;
    }

    /** Each listed file under the manifest's URL; a listed file that is not there is left out, and so named. */
    private Map<String, byte[]> remoteFiles(String base, BundleManifest manifest) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        for (String name : manifest.files().keySet()) {
            PolicyFetcher.Response r = fetcher.get(base + name, null);
            if (r.status() == 404) {
                continue;
            }
            if (r.status() != 200) {
                throw new IOException(base + name + ": HTTP status " + r.status());
            }
            total += r.body().length;
            if (total > maxBytes) {
                throw new IOException(base + ": the bundle's files together are larger than policy.max_bytes ("
                        + maxBytes + " bytes)");
            }
            files.put(name, r.body());
        }
        return files;
    }

    private byte[] readBounded(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": not a regular file");
        }
        if (Files.size(file) > maxBytes) {
            throw new IOException(file + ": the file is larger than policy.max_bytes (" + maxBytes + " bytes)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IOException(file + ": the file is larger than policy.max_bytes (" + maxBytes + " bytes)");
            }
            return bytes;
        }
    }

    private static LoadResult refused(String source, String reason) {
        return new LoadResult(null, List.of(new LoadError(source, 1, 1, reason)));
    }
}
