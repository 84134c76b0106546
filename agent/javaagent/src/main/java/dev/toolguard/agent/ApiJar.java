package dev.toolguard.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;

/**
 * The small jar of the API classes that goes onto the bootstrap class path. Whatever is in it runs in every
 * class loader of the application with the agent's authority (it holds the bridge every guarded call goes
 * through), so a jar found on disk is used only when this user alone can write where it lies and its classes
 * are byte for byte the agent jar's own. Otherwise a fresh one is written.
 *
 * <p>One file per distinct API content is kept in {@code <tmpdir>/toolguard-<user>} (created owner-only), so
 * that JVMs of the same agent share it. When that directory is not this user's alone (another user created it
 * first, or anyone may write to it), the jar goes into a new owner-only directory of this JVM's.
 */
final class ApiJar {

    static final String API_PACKAGE = "dev/toolguard/api/";
    private static final Set<PosixFilePermission> OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private ApiJar() {
    }

    /** The API jar to append to the bootstrap path for {@code agentJar}, under {@code tmpRoot}. */
    static Path of(JarFile agentJar, Path tmpRoot, String user) throws IOException {
        Map<String, byte[]> classes = apiEntries(agentJar);
        UserPrincipal me = currentUser(tmpRoot);
        Path shared = tmpRoot.resolve("toolguard-" + user.replaceAll("[^A-Za-z0-9._-]", "_"));
        Path dir = privateDirectory(shared, tmpRoot, me);
        Path target = dir.resolve("toolguard-api-" + Long.toHexString(checksum(classes)) + ".jar");
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && ownedBy(target, me) && holds(target, classes)) {
            return target;
        }
        write(classes, dir, target);
        return target;
    }

    /** The shared directory if it is (or can be made) this user's alone, else a new owner-only one. */
    private static Path privateDirectory(Path shared, Path tmpRoot, UserPrincipal me) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            if (posix) {
                Files.createDirectory(shared, ownerOnly());
            } else {
                Files.createDirectory(shared);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // made earlier, by this user or by another: checked below
        }
        if (Files.isDirectory(shared, LinkOption.NOFOLLOW_LINKS) && ownedBy(shared, me)
                && (!posix || writableByOwnerOnly(shared))) {
            return shared;
        }
        Path own = posix ? Files.createTempDirectory(tmpRoot, "toolguard-", ownerOnly())
                : Files.createTempDirectory(tmpRoot, "toolguard-");
        own.toFile().deleteOnExit();
        return own;
    }

    private static void write(Map<String, byte[]> classes, Path dir, Path target) throws IOException {
        Path tmp = Files.createTempFile(dir, "toolguard-api-", ".tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                out.putNextEntry(new JarEntry(c.getKey()));
                out.write(c.getValue());
                out.closeEntry();
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Whether the jar at {@code path} holds exactly {@code classes}, byte for byte. */
    private static boolean holds(Path path, Map<String, byte[]> classes) {
        try (JarFile jar = new JarFile(path.toFile())) {
            Map<String, byte[]> found = apiEntries(jar);
            if (!found.keySet().equals(classes.keySet()) || countFiles(jar) != classes.size()) {
                return false;
            }
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                if (!Arrays.equals(found.get(c.getKey()), c.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // unreadable: written afresh
        }
    }

    private static int countFiles(JarFile jar) {
        int n = 0;
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            if (!e.nextElement().isDirectory()) {
                n++;
            }
        }
        return n;
    }

    /** The API classes of a jar, by entry name, in name order. */
    private static Map<String, byte[]> apiEntries(JarFile jar) throws IOException {
        Map<String, byte[]> classes = new TreeMap<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            if (entry.getName().startsWith(API_PACKAGE) && !entry.isDirectory()) {
                try (InputStream in = jar.getInputStream(entry)) {
                    classes.put(entry.getName(), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    private static long checksum(Map<String, byte[]> classes) {
        CRC32 crc = new CRC32();
        classes.forEach((name, bytes) -> {
            crc.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            crc.update(bytes);
        });
        return crc.getValue();
    }

    /** This process's user: the owner of a file it creates (the {@code user.name} property can say anything). */
    private static UserPrincipal currentUser(Path tmpRoot) throws IOException {
        Path probe = Files.createTempFile(tmpRoot, "toolguard-owner-", ".probe");
        try {
            return Files.getOwner(probe);
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static boolean ownedBy(Path path, UserPrincipal me) {
        try {
            return me.equals(Files.getOwner(path, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean writableByOwnerOnly(Path dir) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        return permissions.stream().noneMatch(OTHERS_WRITE::contains);
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }
}
