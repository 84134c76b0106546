package dev.toolguard.agent.instrument.check;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/**
 * The version of a framework as one class loader sees it, read from the {@code pom.properties} Maven writes into
 * every jar it builds. Compared by its leading numbers ({@code 1.19.0-beta2} is 1.19.0); a version that cannot be
 * read counts as the newest, so that every hook is expected of it.
 */
public record FrameworkVersion(String text, int[] numbers) {

    public static final FrameworkVersion UNKNOWN = new FrameworkVersion("(version unknown)", null);

    /** Reads {@code META-INF/maven/<group>/<artifact>/pom.properties} through the loader, as a resource. */
    public static FrameworkVersion of(ClassLoader loader, String groupAndArtifact) {
        return of(loader, groupAndArtifact, null);
    }

    /**
     * As {@link #of(ClassLoader, String)}; where the jars carry no {@code pom.properties} (Gradle writes none, e.g.
     * Koog's), the {@code Implementation-Version} of the manifest of the jar that holds {@code markerClass}, when that
     * manifest's {@code Implementation-Title} names the artifact (a Kotlin multiplatform artifact's JVM jar,
     * {@code agents-core-jvm}, is titled {@code agents-core}).
     */
    public static FrameworkVersion of(ClassLoader loader, String groupAndArtifact, String markerClass) {
        if (groupAndArtifact == null || loader == null) {
            return UNKNOWN;
        }
        String path = "META-INF/maven/" + groupAndArtifact.replace(':', '/') + "/pom.properties";
        try {
            URL url = loader.getResource(path);
            if (url == null) {
                return markerClass == null ? UNKNOWN : ofManifest(loader, groupAndArtifact, markerClass);
            }
            Properties p = new Properties();
            try (InputStream in = url.openStream()) {
                p.load(in);
            }
            String v = p.getProperty("version");
            return v == null || v.isBlank() ? UNKNOWN : parse(v.trim());
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    private static FrameworkVersion ofManifest(ClassLoader loader, String groupAndArtifact, String markerClass)
            throws IOException {
        URL marker = loader.getResource(markerClass.replace('.', '/') + ".class");
        String at = marker == null ? null : marker.toString();
        if (at == null || !at.startsWith("jar:") || !at.contains("!/")) {
            return UNKNOWN;
        }
        java.util.jar.Manifest manifest;
        try (InputStream in = java.net.URI.create(at.substring(0, at.indexOf("!/") + 2) + "META-INF/MANIFEST.MF").toURL()
                .openStream()) {
            manifest = new java.util.jar.Manifest(in);
        }
        java.util.jar.Attributes main = manifest.getMainAttributes();
        String artifact = groupAndArtifact.substring(groupAndArtifact.indexOf(':') + 1);
        String title = main.getValue("Implementation-Title");
        String v = main.getValue("Implementation-Version");
        boolean names = title != null && (title.equals(artifact) || (title + "-jvm").equals(artifact));
        return !names || v == null || v.isBlank() ? UNKNOWN : parse(v.trim());
    }

    public static FrameworkVersion parse(String text) {
        int[] n = new int[4];
        int count = 0;
        // the leading numbers only: 1.19.0-beta2 is 1.19.0
        for (String part : text.split("[.]")) {
            if (count == n.length || part.isEmpty() || !Character.isDigit(part.charAt(0))) {
                break;
            }
            int end = 0;
            while (end < part.length() && Character.isDigit(part.charAt(end))) {
                end++;
            }
            n[count++] = Integer.parseInt(part.substring(0, Math.min(end, 9)));
            if (end < part.length()) {
                break;
            }
        }
        return count == 0 ? new FrameworkVersion(text, null) : new FrameworkVersion(text, java.util.Arrays.copyOf(n, count));
    }

    /** Whether this version is {@code version} or later; an unknown version is. */
    public boolean atLeast(String version) {
        if (numbers == null) {
            return true;
        }
        int[] other = parse(version).numbers;
        for (int i = 0; i < Math.max(numbers.length, other.length); i++) {
            int a = i < numbers.length ? numbers[i] : 0;
            int b = i < other.length ? other[i] : 0;
            if (a != b) {
                return a > b;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
