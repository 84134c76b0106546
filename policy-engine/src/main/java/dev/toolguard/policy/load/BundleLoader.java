package dev.toolguard.policy.load;

import dev.toolguard.policy.values.LocatedReader;
import dev.toolguard.policy.values.Problems;
import dev.toolguard.policy.values.SourcePosition;
import dev.toolguard.policy.values.SourceProblem;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.function.Supplier;

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
 *
 * <p>Size is bounded before anything is parsed ({@code policy.max_bytes}, SPEC §13.9): every file, and all
 * of a bundle's files together, may hold at most {@code maxBytes} bytes. A file's size is checked before it
 * is read and a URL's response is read no further than the limit, so an oversized source costs no parsing.
 */
public final class BundleLoader {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /** The default of {@code policy.max_bytes}: 4 MiB for a bundle's files together. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;

    private BundleLoader() {
    }

    /**
     * How URLs are fetched ({@code policy.http}): the client (its TLS trust) and the timeout of each request. The
     * client is made when a URL is first fetched, never before: the JDK's HTTP client looks up the application's
     * {@code System.Logger} backend (and its security providers) as it is made, which an agent with only file
     * sources must not do at start (SPEC §1).
     */
    public static final class Http {
        private final Supplier<HttpClient> make;
        private final Duration timeout;
        private volatile HttpClient client;

        public Http(Supplier<HttpClient> make, Duration timeout) {
            this.make = make;
            this.timeout = timeout;
        }

        public static Http defaults() {
            return new Http(() -> HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL).build(), HTTP_TIMEOUT);
        }

        public HttpClient client() {
            HttpClient c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        c = make.get();
                        client = c;
                    }
                }
            }
            return c;
        }

        public Duration timeout() {
            return timeout;
        }
    }

    /** One file of a bundle as read, before parsing. */
    private record RawFile(String name, byte[] bytes) {
    }

    /** What is left of {@code policy.max_bytes} while a bundle's files are read. */
    private static final class SizeBound {
        final long maxBytes;
        long used;

        SizeBound(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        /** Null when {@code bytes} more fit, else why not. */
        String refusal(long bytes) {
            if (bytes > maxBytes) {
                return "the file is larger than policy.max_bytes (" + maxBytes + " bytes): " + bytes + " bytes";
            }
            if (used + bytes > maxBytes) {
                return "the bundle's files together are larger than policy.max_bytes (" + maxBytes
                        + " bytes): this file brings them to " + (used + bytes) + " bytes";
            }
            return null;
        }

        long remaining() {
            return maxBytes - used;
        }
    }

    /** Loads and compiles every source as one bundle, bounded by {@link #DEFAULT_MAX_BYTES}. */
    public static LoadResult load(List<String> sources) {
        return load(sources, DEFAULT_MAX_BYTES);
    }

    /**
     * Loads and compiles every source as one bundle whose files together hold at most {@code maxBytes} bytes.
     * Never throws for bad input: problems are in the result.
     */
    public static LoadResult load(List<String> sources, long maxBytes) {
        return load(sources, Map.of(), maxBytes, null);
    }

    /**
     * Loads {@code sources} together with files already read ({@code fetched}: name -> content, such as the
     * files of a signed bundle, checked against its manifest), all under one {@code maxBytes} bound. URLs are
     * fetched with {@code http} ({@code policy.http}: its timeout and trusted certificates), or with a default
     * client when it is null.
     */
    public static LoadResult load(List<String> sources, Map<String, byte[]> fetched, long maxBytes, Http http) {
        Problems problems = new Problems();
        List<RawFile> files = new ArrayList<>();
        SizeBound bound = new SizeBound(maxBytes);
        if ((sources == null || sources.isEmpty()) && fetched.isEmpty()) {
            problems.add(SourcePosition.startOf("<policy>"), "no policy source given");
        } else {
            for (Map.Entry<String, byte[]> f : fetched.entrySet()) {
                String refusal = bound.refusal(f.getValue().length);
                if (refusal != null) {
                    problems.add(SourcePosition.startOf(f.getKey()), refusal);
                } else {
                    bound.used += f.getValue().length;
                    files.add(new RawFile(f.getKey(), f.getValue()));
                }
            }
            for (String source : sources == null ? List.<String>of() : sources) {
                collect(source, files, problems, bound, http);
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

    private static void collect(String source, List<RawFile> files, Problems problems, SizeBound bound, Http http) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            fetch(source, files, problems, bound, http);
            return;
        }
        Path path = Path.of(source);
        if (Files.isDirectory(path)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    String fileName = entry.getFileName().toString();
                    if (Files.isRegularFile(entry) && !fileName.startsWith(".") && isPolicyFileName(fileName)) {
                        found.add(entry);
                    }
                }
            } catch (IOException e) {
                problems.add(SourcePosition.startOf(source), "cannot read directory: " + e.getMessage());
                return;
            }
            if (found.isEmpty()) {
                problems.add(SourcePosition.startOf(source), "the directory has no *.yaml, *.yml or *.json files");
            }
            found.sort(Comparator.comparing(Path::toString)); // the file that passes the limit is the same every time
            for (Path entry : found) {
                readFile(entry.toString(), entry, files, problems, bound);
            }
            return;
        }
        if (!Files.exists(path)) {
            problems.add(SourcePosition.startOf(source), "no such file or directory");
            return;
        }
        if (!Files.isRegularFile(path)) {
            // a FIFO or a device could block the load, or never end
            problems.add(SourcePosition.startOf(source), "not a regular file");
            return;
        }
        readFile(source, path, files, problems, bound);
    }

    /** Reads a file whose size fits what is left of the bound; a file over it is refused unread. */
    private static void readFile(String name, Path path, List<RawFile> files, Problems problems, SizeBound bound) {
        try {
            String refusal = bound.refusal(Files.size(path));
            if (refusal == null) {
                try (InputStream in = Files.newInputStream(path)) {
                    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bound.remaining() + 1));
                    refusal = bound.refusal(bytes.length); // the file grew while we looked
                    if (refusal == null) {
                        bound.used += bytes.length;
                        files.add(new RawFile(name, bytes));
                        return;
                    }
                }
            }
            problems.add(SourcePosition.startOf(name), refusal);
        } catch (IOException e) {
            problems.add(SourcePosition.startOf(name), "cannot read file: " + e.getMessage());
        }
    }

    private static void fetch(String url, List<RawFile> files, Problems problems, SizeBound bound, Http http) {
        try {
            Http h = http != null ? http : Http.defaults();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(h.timeout()).GET().build();
            HttpClient client = h.client();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    problems.add(SourcePosition.startOf(url), "fetching the policy failed: HTTP status " + response.statusCode());
                    return;
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                String refusal = declared >= 0 ? bound.refusal(declared) : null;
                if (refusal == null) {
                    byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bound.remaining() + 1));
                    refusal = bound.refusal(bytes.length);
                    if (refusal == null) {
                        bound.used += bytes.length;
                        files.add(new RawFile(url, bytes));
                        return;
                    }
                }
                problems.add(SourcePosition.startOf(url), refusal.replace("the file is", "the response is"));
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add(SourcePosition.startOf(url), "fetching the policy failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add(SourcePosition.startOf(url), "fetching the policy was interrupted");
        }
    }

    /** True for the names a directory contributes to a bundle: {@code *.yaml}, {@code *.yml}, {@code *.json}, any case. */
    public static boolean isPolicyFileName(String fileName) {
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
