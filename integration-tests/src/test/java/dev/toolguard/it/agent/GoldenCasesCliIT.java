package dev.toolguard.it.agent;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden policy suites, run as a policy author runs them: {@code java -jar toolguard-agent.jar test
 * <policy> --cases <cases.yaml>}, each ending with {@code N passed, 0 failed}; and the documented example.
 */
class GoldenCasesCliIT {

    static final Path GOLDEN = Path.of(System.getProperty("toolguard.it.golden.dir"));
    static final Path DOCS = Path.of(System.getProperty("toolguard.it.docs.dir"));

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> everyGoldenSuitePassesThroughTheCommandLine() throws IOException {
        List<Path> suites;
        try (Stream<Path> s = Files.list(GOLDEN)) {
            suites = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(suites).hasSizeGreaterThanOrEqualTo(7);
        return suites.stream().map(suite -> DynamicTest.dynamicTest(suite.getFileName().toString(), () ->
                passes(suite.resolve("policy.yaml"), suite.resolve("cases.yaml"))));
    }

    @TestFactory
    Stream<DynamicTest> theDocumentedExamplePassesItsCases() {
        Path example = DOCS.resolve("examples/support-agent");
        return Stream.of(DynamicTest.dynamicTest("support-agent", () ->
                passes(example.resolve("policies"), example.resolve("cases.yaml"))));
    }

    private static void passes(Path policy, Path cases) throws Exception {
        AgentProcess.CliResult r = AgentProcess.cli(dir, "test", policy.toString(), "--cases", cases.toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> lines = r.output().lines().toList();
        assertThat(lines.get(lines.size() - 1)).as(r.output()).matches("[1-9][0-9]* passed, 0 failed");
    }
}
