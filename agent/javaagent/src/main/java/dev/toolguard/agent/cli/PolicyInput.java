package dev.toolguard.agent.cli;

import dev.toolguard.policy.cases.PolicySources;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loads the policy bundle named on the command line. */
final class PolicyInput {

    private PolicyInput() {
    }

    /**
     * Loads {@code sources} as one bundle. A local source that does not exist is a usage error (exit 2),
     * before the loader runs: a typo in a path is not an invalid policy.
     */
    static LoadResult load(List<String> sources) {
        if (sources.isEmpty()) {
            throw new UsageException("name at least one policy file or directory");
        }
        for (String source : sources) {
            if (PolicySources.isUrl(source)) {
                continue;
            }
            readablePath(source, "");
        }
        LoadResult result = BundleLoader.load(sources);
        if (result == null) {
            return new LoadResult(null, List.of(new LoadError(String.join(" ", sources), 1, 1, "the loader returned nothing")));
        }
        return result;
    }

    /**
     * The local path named on the command line, which must exist and be readable: a typo in a path is a usage
     * error (exit 2), not an invalid input.
     *
     * @param what what the path is, for the message ({@code "class path entry "}), or empty
     */
    static Path readablePath(String source, String what) {
        Path path;
        try {
            path = Path.of(source);
        } catch (RuntimeException e) {
            throw new UsageException("cannot read " + what + source + ": not a valid path");
        }
        if (!Files.exists(path)) {
            throw new UsageException("cannot read " + what + source + ": no such file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new UsageException("cannot read " + what + source + ": permission denied");
        }
        return path;
    }

    /** Prints every load error as {@code file:line:col: message}, one per line. */
    static void printErrors(LoadResult result, PrintStream out) {
        for (LoadError error : result.errors()) {
            out.println(error.file() + ":" + error.line() + ":" + error.column() + ": " + oneLine(error.message()));
        }
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
