package dev.toolguard.agent.reload;

import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.LocatedReader;
import dev.toolguard.policy.values.Redaction;

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

    /** The most bytes a manifest may have: it lists the sources and key ids, never a policy's text. */
    private static final long MANIFEST_MAX_BYTES = 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    /** How a bundle's URLs are fetched again for the copy ({@code policy.http}); null for the JDK's defaults. */
    private final BundleLoader.Http http;
    /** How many saves were asked for, so that a save in the background never replaces the copy of a later one. */
    private long savesAsked;

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
     * Whether {@code copy} (a copy found for the bundle's sources and keys, or null) already holds {@code bundle}: the
     * same files, and no signed revision above the one it keeps. Saving such a bundle changes nothing a later start
     * relies on.
     */
    public static boolean holds(Copy copy, PolicyBundle bundle) {
        if (copy == null || !copy.sha256().equals(bundle.sha256())) {
            return false;
        }
        BundleSignature signed = bundle.signature();
        return signed == null || copy.signature() != null && copy.signature().revision() >= signed.revision();
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
        synchronized (this) {
            savesAsked++;
            write(bundle, configuredSources, signingKeys);
        }
    }

    /**
     * As {@link #save(PolicyBundle, List, List)}, on a daemon thread of its own, for a copy nothing needs before the
     * bundle decides (one that {@link #holds} the bundle already: a restart with unchanged sources): writing it (the
     * bundle's files read again, a manifest, two renames) only repairs the copy, and need not delay the first call. A
     * save asked for later wins: this one is then skipped. The JVM's exit waits for the save (up to {@code atExit});
     * a process killed before it is done keeps the previous copy whole.
     *
     * @param failed told why the copy could not be written
     * @return the thread writing the copy (started)
     */
    public Thread saveInBackground(PolicyBundle bundle, List<String> configuredSources, List<String> signingKeys,
                                   java.time.Duration atExit, Consumer<String> failed) {
        long mine;
        synchronized (this) {
            mine = ++savesAsked;
        }
        Thread saver = new Thread(() -> {
            try {
                synchronized (this) {
                    if (savesAsked == mine) {
                        write(bundle, configuredSources, signingKeys);
                    }
                }
            } catch (IOException | RuntimeException e) {
                failed.accept(e.toString());
            }
        }, "toolguard-last-good");
        saver.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                saver.join(atExit.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "toolguard-last-good-at-exit"));
        saver.start();
        return saver;
    }

    private void write(PolicyBundle bundle, List<String> configuredSources, List<String> signingKeys) throws IOException {
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
            manifest.put("signing_keys", List.copyOf(new TreeSet<>(signingKeys)));
            if (bundle.signature() != null) {
                manifest.put("revision", bundle.signature().revision());
                manifest.put("key_id", bundle.signature().keyId());
            }
            Path manifestFile = staging.resolve(MANIFEST);
            // the project's own writer and reader (no ObjectMapper): Jackson's databind is some 330 classes, which the
            // first policy load of every start would otherwise define for this one small file
            Files.write(manifestFile, new JsonWriter(Redaction.NONE).value(manifest).toBytes());
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
            LocatedReader.ReadResult read = LocatedReader.readFile(manifestFile, MANIFEST_MAX_BYTES, "file");
            if (!read.ok() || !(read.root().toPlain() instanceof Map<?, ?> manifest)) {
                warn.accept("the last good copy in " + dir + " cannot be read (" + (read.ok() ? "not a JSON object"
                        : read.problems().get(0)) + "); it is not used");
                return Optional.empty();
            }
            List<String> savedFor = texts(manifest.get("sources"));
            String sha256 = manifest.get("sha256") instanceof String text ? text : "";
            List<String> wanted = canonical(configuredSources);
            if (!savedFor.equals(wanted)) {
                warn.accept("the last good copy in " + dir + " belongs to other policy sources (saved for "
                        + savedFor + ", configured " + wanted + "); it is not used");
                return Optional.empty();
            }
            List<String> savedKeys = texts(manifest.get("signing_keys"));
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
            BundleSignature signature = manifest.get("revision") instanceof Long revision
                    && manifest.get("key_id") instanceof String keyId ? new BundleSignature(revision, keyId) : null;
            return Optional.of(new Copy(List.of(dir.toString()), sha256, signature));
        } catch (IOException | RuntimeException e) {
            warn.accept("the last good copy in " + dir + " cannot be read (" + e.getMessage() + "); it is not used");
            return Optional.empty();
        }
    }

    /** The strings of a manifest's list (anything else in it as its text), or none when it is not a list. */
    private static List<String> texts(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> items) {
            items.forEach(item -> out.add(String.valueOf(item)));
        }
        return out;
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
