package dev.toolguard.policy.load;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** SPEC §13.9: a policy over {@code policy.max_bytes} is refused before it is parsed, and fast. */
class BundleLoaderBoundsTest {

    private static final String VALID = "apiVersion: toolguard.dev/v1\nkind: Policy\n"
            + "metadata: {name: p, version: \"1\"}\ntools:\n  t: {action: allow}\n";

    @TempDir
    Path dir;

    /** A syntactically valid policy padded with list items up to {@code bytes}: parsing it is the slow part. */
    private Path paddedPolicy(String name, long bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(VALID + "forbid:\n");
            long written = VALID.length() + 8;
            int i = 0;
            while (written < bytes) {
                String line = "  - {tools: [\"t" + (i++) + "\"], reason: padding}\n";
                w.write(line);
                written += line.length();
            }
        }
        return file;
    }

    private static LoadError onlyError(LoadResult result) {
        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }

    @Test
    void aFiveMegabytePolicyIsRefusedBeforeParsingInUnderASecond() throws IOException {
        Path big = paddedPolicy("big.yaml", 5L * 1024 * 1024);

        LoadResult result = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> BundleLoader.load(List.of(big.toString())));

        LoadError error = onlyError(result);
        assertThat(error.file()).isEqualTo(big.toString());
        assertThat(error.line()).isEqualTo(1);
        assertThat(error.message()).contains("policy.max_bytes").contains("4194304 bytes");
    }

    @Test
    void aFiftyMegabytePolicyIsRefusedAsFast() throws IOException {
        Path big = paddedPolicy("huge.json", 50L * 1024 * 1024);

        LoadResult result = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> BundleLoader.load(List.of(big.toString())));

        assertThat(onlyError(result).message()).contains("policy.max_bytes");
    }

    @Test
    void aPolicyJustUnderTheLimitStillLoads() throws IOException {
        Path file = paddedPolicy("p.yaml", 20_000);

        LoadResult result = BundleLoader.load(List.of(file.toString()), 64 * 1024);

        assertThat(result.errors()).isEmpty();
        assertThat(result.bundle()).isNotNull();
    }

    @Test
    void theLimitIsConfigurable() throws IOException {
        Path file = paddedPolicy("p.yaml", 20_000);

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString()), 10_000));

        assertThat(error.file()).isEqualTo(file.toString());
        assertThat(error.message()).contains("10000 bytes");
    }

    @Test
    void theLimitBoundsTheSumOfADirectorysFilesAndNamesTheFileThatPassedIt() throws IOException {
        paddedPolicy("policies/a.yaml", 6_000);
        Path b = paddedPolicy("policies/b.yaml", 6_000);

        LoadError error = onlyError(BundleLoader.load(List.of(dir.resolve("policies").toString()), 10_000));

        assertThat(error.file()).isEqualTo(b.toString());
        assertThat(error.message()).contains("together").contains("10000 bytes");
    }

    @Test
    void aUrlResponseOverTheLimitIsRefusedWithoutReadingItAll() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] chunk = "# padding padding padding padding padding padding padding padding\n".repeat(1000)
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/big.yaml", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no length to check up front
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 2_000; i++) { // 130 MB if it were all read
                    out.write(chunk);
                }
            } catch (IOException clientWentAway) {
                // the loader stops reading at the limit
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/big.yaml";

            LoadResult result = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> BundleLoader.load(List.of(url), 1024 * 1024));

            LoadError error = onlyError(result);
            assertThat(error.file()).isEqualTo(url);
            assertThat(error.message()).contains("policy.max_bytes").contains("1048576 bytes");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBillionLaughsDocumentUnderTheLimitIsAProblemNotAnExplosion() throws IOException {
        StringBuilder doc = new StringBuilder(VALID).append("x0: &x0 [lol, lol, lol]\n");
        for (int i = 1; i <= 16; i++) { // 16 levels of 3 aliases: 48 aliases, 3^17 values if expanded
            String p = "*x" + (i - 1);
            doc.append("x").append(i).append(": &x").append(i).append(" [").append(p).append(", ").append(p)
                    .append(", ").append(p).append("]\n");
        }
        Path file = Files.writeString(dir.resolve("laughs.yaml"), doc.toString());

        LoadResult result = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> BundleLoader.load(List.of(file.toString())));

        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.message()).contains("aliases expand to more than");
        });
    }

    @Test
    void tooManyAliasesAreAProblem() throws IOException {
        StringBuilder doc = new StringBuilder(VALID).append("a: &a [lol]\nb: [");
        for (int i = 0; i < 60; i++) {
            doc.append(i == 0 ? "" : ", ").append("*a");
        }
        Path file = Files.writeString(dir.resolve("aliases.yaml"), doc.append("]\n").toString());

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).anySatisfy(e -> assertThat(e.message()).containsIgnoringCase("aliases"));
    }

    @Test
    void yamlNestedTooDeeplyIsALocatedProblem() throws IOException {
        Path file = Files.writeString(dir.resolve("deep.yaml"), VALID + "x: " + "[".repeat(500) + "]".repeat(500) + "\n");

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.message()).containsIgnoringCase("nesting");
        });
    }

    @Test
    void jsonNestedTooDeeplyIsALocatedProblemNotAStackOverflow() throws IOException {
        Path file = Files.writeString(dir.resolve("deep.json"),
                "{\"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo(file.toString());
            assertThat(e.message()).containsIgnoringCase("nesting");
        });
    }
}
