package dev.toolguard.agent.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.PolicyBundle;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A copy of the last bundle that loaded ({@code policy.last_good}), so a restart while a source is unreachable
 * still decides with the policy that was in force. The copy is a directory of the bundle's files, numbered
 * to keep their order; it is replaced whole, never left half written.
 *
 * <p>The copy belongs to the sources it came from (SPEC §13.8): a manifest beside the files records the
 * canonical set of configured sources, the ids of the configured signing keys, the bundle's sha256 and, for
 * a signed bundle, its revision and key id (SPEC §15: the revision a restart must not go below); the copy is
 * offered only to the same sources and keys, and only when its files still hash to that sha256. A directory (or a file in it) that is not owned by the
 * running user, or that group or others may write, is ignored: someone else could have planted the policy.
 */
public final class LastGoodStore {

    /** Hidden, so that loading the directory as a bundle never reads it as a policy file. */
    static final String MANIFEST = ".toolguard-last-good.json";

    /**
     * Jackson's databind is some 300 classes: held apart so that it loads when a copy is read or written (on the
     * policy loader's thread), not when the store is made on the thread that starts the agent.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    /** How a bundle's URLs are fetched again for the copy ({@code policy.http}); null for the JDK's defaults. */
    private final BundleLoader.Http http;

    public LastGoodStore(Path dir) {
        this(dir, null);
    }

    public LastGoodStore(Path dir, BundleLoader.Http http) {
        this.dir = dir;
        this.http = http;
    }

    public Path dir() {
        return dir;
    }

    /**
     * A usable copy: the sources to load it from, the sha256 the loaded bundle must have, and who signed it
     * (null for an unsigned bundle): its revision is the lowest the same sources may load again (SPEC §15).
     */
    public record Copy(List<String> sources, String sha256, BundleSignature signature) {
    }

    /**
     * The configured sources as the manifest records them: paths absolute and normalised, URLs normalised, in
     * a fixed order without repeats, so that the same set named differently is still the same set.
     */
    public static List<String> canonical(List<String> sources) {
        TreeSet<String> set = new TreeSet<>();
        for (String s : sources) {
            if (SourceWatcher.isUrl(s)) {
                try {
                    set.add(URI.create(s).normalize().toString());
                } catch (IllegalArgumentException e) {
                    set.add(s);
                }
            } else {
                set.add(Path.of(s).toAbsolutePath().normalize().toString());
            }
        }
        return List.copyOf(set);
    }

    /**
     * Copies the bundle's files, with a manifest binding them to {@code configuredSources}. Best effort: a copy
     * that cannot be written, or whose sources changed since the bundle loaded, leaves the previous one.
     */
    public void save(PolicyBundle bundle, List<String> configuredSources) throws IOException {
        save(bundle, configuredSources, List.of());
    }

    /**
     * As {@link #save(PolicyBundle, List)}, binding the copy to the signing keys too ({@code signingKeys}: their
     * ids) and keeping the bundle's signed revision and key id, so that a restart still refuses an older one.
     */
    public void save(PolicyBundle bundle, List<String> configuredSources, List<String> signingKeys) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, dir.getFileName() + ".new-"); // owner-only on POSIX
        try {
            List<String> sources = bundle.sources();
            MessageDigest digest = sha256();
            for (int i = 0; i < sources.size(); i++) {
                String source = sources.get(i);
                Path target = staging.resolve(String.format("%03d-%s", i, fileNameOf(source)));
                try (InputStream in = open(source, http)) {
                    Files.copy(in, target);
                }
                digest.update(Files.readAllBytes(target));
                ownerOnly(target);
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(bundle.sha256())) {
                throw new IOException("the policy sources changed while they were copied; the previous copy stays");
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("sources", canonical(configuredSources));
            manifest.put("sha256", bundle.sha256());
            manifest.put("signing_keys", new TreeSet<>(signingKeys));
            if (bundle.signature() != null) {
                manifest.put("revision", bundle.signature().revision());
                manifest.put("key_id", bundle.signature().keyId());
            }
            Path manifestFile = staging.resolve(MANIFEST);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
            ownerOnly(manifestFile);
            Path old = parent.resolve(dir.getFileName() + ".old");
            deleteTree(old);
            if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
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

    /**
     * The saved copy for {@code configuredSources}, or empty when there is none or it must not be used; every
     * reason not to use an existing copy is said through {@code warn}.
     */
    public Optional<Copy> copyFor(List<String> configuredSources, Consumer<String> warn) {
        return copyFor(configuredSources, List.of(), warn);
    }

    /** The saved copy for {@code configuredSources} and exactly these signing keys (their ids), as above. */
    public Optional<Copy> copyFor(List<String> configuredSources, List<String> signingKeys, Consumer<String> warn) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                warn.accept("the last good copy " + dir + " is not a directory; it is ignored");
                return Optional.empty();
            }
            Optional<String> unsafe = unsafe(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (unsafe.isPresent()) {
                        break;
                    }
                    unsafe = unsafe(f);
                }
            }
            if (unsafe.isPresent()) {
                warn.accept("the last good copy in " + dir + " is ignored: " + unsafe.get());
                return Optional.empty();
            }
            Path manifestFile = dir.resolve(MANIFEST);
            if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
                warn.accept("the last good copy in " + dir + " does not say which sources it came from; it is not used");
                return Optional.empty();
            }
            JsonNode manifest = Json.MAPPER.readTree(manifestFile.toFile());
            List<String> savedFor = new ArrayList<>();
            manifest.path("sources").forEach(n -> savedFor.add(n.asText()));
            String sha256 = manifest.path("sha256").asText("");
            List<String> wanted = canonical(configuredSources);
            if (!savedFor.equals(wanted)) {
                warn.accept("the last good copy in " + dir + " belongs to other policy sources (saved for "
                        + savedFor + ", configured " + wanted + "); it is not used");
                return Optional.empty();
            }
            List<String> savedKeys = new ArrayList<>();
            manifest.path("signing_keys").forEach(n -> savedKeys.add(n.asText()));
            List<String> wantedKeys = List.copyOf(new TreeSet<>(signingKeys));
            if (!savedKeys.equals(wantedKeys)) {
                warn.accept("the last good copy in " + dir + " was saved under other signing keys (saved for "
                        + savedKeys + ", configured " + wantedKeys + "); it is not used");
                return Optional.empty();
            }
            if (sha256.isEmpty() || SourceWatcher.policyFilesOf(dir).isEmpty()) {
                warn.accept("the last good copy in " + dir + " is incomplete; it is not used");
                return Optional.empty();
            }
            BundleSignature signature = manifest.path("revision").canConvertToLong() && manifest.path("key_id").isTextual()
                    ? new BundleSignature(manifest.path("revision").asLong(), manifest.path("key_id").asText()) : null;
            return Optional.of(new Copy(List.of(dir.toString()), sha256, signature));
        } catch (IOException | RuntimeException e) {
            warn.accept("the last good copy in " + dir + " cannot be read (" + e.getMessage() + "); it is not used");
            return Optional.empty();
        }
    }

    /** Why a path of the copy is not to be trusted, or empty; where POSIX attributes are not kept, nothing. */
    static Optional<String> unsafe(Path p) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return Optional.empty();
        }
        PosixFileAttributes attributes = view.readAttributes();
        if (attributes.isSymbolicLink()) {
            return Optional.of(p + " is a symbolic link");
        }
        Optional<UserPrincipal> me = runningUser(p);
        if (me.isPresent() && !attributes.owner().equals(me.get())) {
            return Optional.of(p + " is owned by " + attributes.owner().getName() + ", not by the running user "
                    + me.get().getName());
        }
        Set<PosixFilePermission> perms = attributes.permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of(p + " is writable by " + (perms.contains(PosixFilePermission.OTHERS_WRITE) ? "others"
                    : "its group") + " (" + PosixFilePermissions.toString(perms) + ")");
        }
        return Optional.empty();
    }

    /** The user this process runs as: on Linux the owner of /proc/self, else the one named by user.name. */
    private static Optional<UserPrincipal> runningUser(Path onFileSystem) {
        try {
            Path self = Path.of("/proc/self");
            if (Files.exists(self)) {
                return Optional.of(Files.getOwner(self));
            }
            return Optional.of(onFileSystem.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name")));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, EnumSet.copyOf(OWNER_ONLY_FILE));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String fileNameOf(String source) {
        String name = source.replaceAll("[?#].*$", "");
        name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (name.isEmpty()) {
            name = "bundle.yaml";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json") ? name : name + ".yaml";
    }

    private static InputStream open(String source, BundleLoader.Http http) throws IOException {
        if (!SourceWatcher.isUrl(source)) {
            return Files.newInputStream(Path.of(source));
        }
        BundleLoader.Http h = http != null ? http : BundleLoader.Http.defaults();
        try {
            HttpResponse<InputStream> resp = h.client()
                    .send(HttpRequest.newBuilder(URI.create(source)).timeout(h.timeout()).build(),
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
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
