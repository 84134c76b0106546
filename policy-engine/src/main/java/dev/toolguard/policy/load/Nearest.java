package dev.toolguard.policy.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The names closest to a mistyped one, by edit distance, for "did you mean ...?" in what the agent says. */
public final class Nearest {

    private Nearest() {
    }

    /** Up to three of {@code candidates} within three edits of {@code typed} (a glob's stars count as nothing), nearest first. */
    public static List<String> names(String typed, List<String> candidates) {
        String wanted = typed.replace("*", "");
        // a typo is a few keys away, however long the name: more would offer names that merely look alike
        int most = wanted.length() <= 4 ? 1 : Math.min(3, Math.max(2, wanted.length() / 4));
        List<String> near = new ArrayList<>();
        for (String c : candidates) {
            if (distance(wanted.toLowerCase(), c.toLowerCase()) <= most) {
                near.add(c);
            }
        }
        near.sort(Comparator.comparingInt(c -> distance(wanted.toLowerCase(), c.toLowerCase())));
        return near.size() > 3 ? List.copyOf(near.subList(0, 3)) : List.copyOf(near);
    }

    /**
     * The files beside {@code missing} (a file that is not there) whose names are nearest its name, among those ending
     * in one of {@code extensions}, nearest first; none when its directory cannot be listed. For a mistyped file name
     * in a config: what it most likely meant.
     */
    public static List<java.nio.file.Path> filesBeside(java.nio.file.Path missing, List<String> extensions) {
        java.nio.file.Path dir = missing.toAbsolutePath().getParent();
        if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> siblings = new ArrayList<>();
        try (var listed = java.nio.file.Files.list(dir)) {
            listed.filter(java.nio.file.Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> extensions.stream().anyMatch(n::endsWith)).forEach(siblings::add);
        } catch (java.io.IOException | RuntimeException unlisted) {
            return List.of();
        }
        return names(missing.getFileName().toString(), siblings).stream().map(dir::resolve).toList();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
