package dev.toolguard.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * A framework's jar as a release that moved a hooked method would look to the agent: a copy in which one method
 * name of one class is changed (its one constant-pool entry, to another name of the same length) and the version
 * the jar states is another. Shared by the modules' unit tests and the integration tests that run an application
 * on such a jar.
 */
public final class ReshapedJar {

    private ReshapedJar() {
    }

    /** The jar on the class path of the calling JVM that holds {@code resource}. */
    public static Path holding(String resource) {
        String url = ClassLoader.getSystemResource(resource).toString();
        try {
            return Path.of(new URI(url.substring("jar:".length(), url.indexOf("!/"))));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(url, e);
        }
    }

    /**
     * Copies {@code jar} to {@code target} with the method name {@code method} of {@code classEntry} ending in
     * {@code X} instead of its last letter, and every line of {@code versionEntry} that starts with
     * {@code versionKey} (a {@code pom.properties}'s {@code version=}, a manifest's {@code Implementation-Version: })
     * saying {@code version}.
     *
     * @throws IllegalStateException when the class does not name the method
     */
    public static Path copy(Path jar, Path target, String classEntry, String method, String versionEntry,
                            String versionKey, String version) throws IOException {
        byte[] utf8 = method.getBytes(StandardCharsets.UTF_8);
        byte[] name = new byte[utf8.length + 3];
        name[0] = 1; // CONSTANT_Utf8, then its length in two bytes
        name[1] = (byte) (utf8.length >> 8);
        name[2] = (byte) utf8.length;
        System.arraycopy(utf8, 0, name, 3, utf8.length);
        boolean renamed = false;
        try (JarFile in = new JarFile(jar.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().equals(classEntry)) {
                    int at = indexOf(bytes, name);
                    if (at >= 0) {
                        bytes[at + name.length - 1] = 'X';
                        renamed = true;
                    }
                } else if (entry.getName().equals(versionEntry)) {
                    bytes = new String(bytes, StandardCharsets.ISO_8859_1)
                            .replaceAll("(?m)^" + java.util.regex.Pattern.quote(versionKey) + ".*?(\\r?)$",
                                    java.util.regex.Matcher.quoteReplacement(versionKey + version) + "$1")
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                out.putNextEntry(new JarEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (!renamed) {
            throw new IllegalStateException(classEntry + " names no method " + method + " in " + jar);
        }
        return target;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
