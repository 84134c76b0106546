package dev.toolguard.policy.load;

import dev.toolguard.policy.load.source.LocatedReader;
import dev.toolguard.policy.load.source.Problems;
import dev.toolguard.policy.load.source.SourcePosition;
import dev.toolguard.policy.load.source.SourceProblem;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a bundle from files, directories and http(s) URLs (SPEC §3).
 *
 * <ul>
 *   <li>A directory contributes the regular files directly inside it whose names end in {@code .yaml},
 *       {@code .yml} or {@code .json} (any case), except hidden ones (names starting with a dot). It is
 *       not searched recursively, so sub-directories can hold tests, drafts or backups.</li>
 *   <li>A URL ({@code http://} or {@code https://}) is fetched once with a GET; anything but status 200 is
 *       a load error. It is read as JSON when its path ends in {@code .json}, as YAML otherwise.</li>
 *   <li>Anything else is a file path. Files are named in errors as the user named them (a directory's
 *       files as {@code dir/name}).</li>
 * </ul>
 *
 * <p>Name order, which decides {@code forbid[i]}, {@code metadata} and the hash, is the order of the files'
 * last path segments (the file name), then of their full names. The bundle's {@code sha256} is the
 * SHA-256 of the bytes of every file concatenated in that order, exactly as read: for one file it is the
 * file's own {@code sha256sum}, for several it equals {@code cat <files in name order> | sha256sum}.
 *
 * <p>A bundle loads whole or not at all: any problem in any file gives a result with every error found
 * and no bundle.
 */
public final class BundleLoader {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    private BundleLoader() {
    }

    /** One file of a bundle as read, before parsing. */
    private record RawFile(String name, byte[] bytes) {
    }

    /** Loads and compiles every source as one bundle. Never throws for bad input: problems are in the result. */
    public static LoadResult load(List<String> sources) {
        Problems problems = new Problems();
        List<RawFile> files = new ArrayList<>();
        if (sources == null || sources.isEmpty()) {
            problems.add(SourcePosition.startOf("<policy>"), "no policy source given");
        } else {
            for (String source : sources) {
                collect(source, files, problems);
            }
        }
        if (!problems.isEmpty()) {
            return failed(problems);
        }
        return compile(files, problems);
    }

    /**
     * Loads a bundle from texts in memory, name -> content (the name decides order and JSON vs YAML), for
     * tools and tests that hold policies as strings.
     */
    public static LoadResult loadTexts(Map<String, String> texts) {
        List<RawFile> files = new ArrayList<>();
        texts.forEach((name, text) -> files.add(new RawFile(name, text.getBytes(StandardCharsets.UTF_8))));
        Problems problems = new Problems();
        if (files.isEmpty()) {
            problems.add(SourcePosition.startOf("<policy>"), "no policy source given");
            return failed(problems);
        }
        return compile(files, problems);
    }

    private static LoadResult compile(List<RawFile> files, Problems problems) {
        files.sort(Comparator.comparing((RawFile f) -> lastSegment(f.name())).thenComparing(RawFile::name));
        BundleCompiler compiler = new BundleCompiler(problems);
        List<String> names = new ArrayList<>();
        for (RawFile file : files) {
            names.add(file.name());
            LocatedReader.ReadResult read = LocatedReader.read(file.name(), file.bytes());
            problems.addAll(read.problems());
            if (read.root() != null) {
                compiler.add(file.name(), read.root());
            }
        }
        if (!problems.isEmpty()) {
            return failed(problems);
        }
        return new LoadResult(compiler.build(sha256(files), names), List.of());
    }

    private static void collect(String source, List<RawFile> files, Problems problems) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            fetch(source, files, problems);
            return;
        }
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            List<RawFile> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    String fileName = entry.getFileName().toString();
                    if (Files.isRegularFile(entry) && !fileName.startsWith(".") && isPolicyFileName(fileName)) {
                        found.add(new RawFile(entry.toString(), Files.readAllBytes(entry)));
                    }
                }
            } catch (IOException e) {
                problems.add(SourcePosition.startOf(source), "cannot read directory: " + e.getMessage());
                return;
            }
            if (found.isEmpty()) {
                problems.add(SourcePosition.startOf(source), "the directory has no *.yaml, *.yml or *.json files");
            }
            files.addAll(found);
            return;
        }
        if (!Files.exists(path)) {
            problems.add(SourcePosition.startOf(source), "no such file or directory");
            return;
        }
        try {
            files.add(new RawFile(source, Files.readAllBytes(path)));
        } catch (IOException e) {
            problems.add(SourcePosition.startOf(source), "cannot read file: " + e.getMessage());
        }
    }

    private static void fetch(String url, List<RawFile> files, Problems problems) {
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(HTTP_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT).GET().build();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                problems.add(SourcePosition.startOf(url), "fetching the policy failed: HTTP status " + response.statusCode());
                return;
            }
            files.add(new RawFile(url, response.body()));
        } catch (IOException | IllegalArgumentException e) {
            problems.add(SourcePosition.startOf(url), "fetching the policy failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(SourcePosition.startOf(url), "fetching the policy was interrupted");
        }
    }

    private static boolean isPolicyFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    private static String lastSegment(String name) {
        String path = name;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    private static String sha256(List<RawFile> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (RawFile f : files) {
                digest.update(f.bytes());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Every error, files in the order first met, each file's errors by line and column. */
    private static LoadResult failed(Problems problems) {
        List<String> fileOrder = new ArrayList<>();
        for (SourceProblem p : problems.list()) {
            if (!fileOrder.contains(p.source())) {
                fileOrder.add(p.source());
            }
        }
        List<SourceProblem> sorted = new ArrayList<>(problems.list());
        sorted.sort(Comparator.comparingInt((SourceProblem p) -> fileOrder.indexOf(p.source()))
                .thenComparingInt(SourceProblem::line).thenComparingInt(SourceProblem::column));
        List<LoadError> errors = new ArrayList<>();
        for (SourceProblem p : sorted) {
            errors.add(new LoadError(p.source(), p.line(), p.column(), p.message()));
        }
        return new LoadResult(null, List.copyOf(errors));
    }
}
