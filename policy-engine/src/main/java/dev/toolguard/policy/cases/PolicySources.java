package dev.toolguard.policy.cases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Policy sources as given next to a cases file. A scenario directory usually holds its cases file beside
 * its policies ({@code test golden/refunds --cases golden/refunds/cases.yaml}); the cases file is not a
 * policy, so a directory holding it is replaced by its other policy files.
 */
public final class PolicySources {

    private PolicySources() {
    }

    /** The sources to load as the bundle: unchanged, except a directory that contains {@code casesFile}. */
    public static List<String> excludingCasesFile(List<String> sources, Path casesFile) {
        Path cases = normalized(casesFile);
        List<String> result = new ArrayList<>();
        for (String source : sources) {
            if (isUrl(source)) {
                result.add(source);
                continue;
            }
            Path dir = Path.of(source);
            if (!Files.isDirectory(dir) || cases == null || !normalized(dir).equals(cases.getParent())) {
                result.add(source);
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(Files::isRegularFile)
                        .filter(PolicySources::isPolicyFileName)
                        .filter(f -> !normalized(f).equals(cases))
                        .map(Path::toString)
                        .sorted()
                        .forEach(result::add);
            } catch (IOException e) {
                // Let the loader report the unreadable directory with its own words.
                result.add(source);
            }
        }
        return result;
    }

    public static boolean isUrl(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static boolean isPolicyFileName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static Path normalized(Path path) {
        try {
            return path.toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
