package dev.toolguard.policy.cases;

import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden scenarios (one directory each: policy files and a cases.yaml) and the examples of docs/examples,
 * run through the same {@link CaseRunner} as {@code toolguard test}.
 */
class GoldenCasesTest {

    private static final Path DOCS_EXAMPLES = Path.of("..", "docs", "examples");

    @TestFactory
    Stream<DynamicNode> goldenScenariosDecideAsTheirCasesExpect() throws IOException, URISyntaxException {
        return scenarios().stream().map(dir -> scenario(dir.getFileName().toString(), List.of(dir.toString()), dir.resolve("cases.yaml")));
    }

    @TestFactory
    Stream<DynamicNode> theDocumentedExamplesDecideAsTheirCasesExpect() throws IOException {
        List<Path> examples;
        try (Stream<Path> dirs = Files.list(DOCS_EXAMPLES)) {
            examples = dirs.filter(d -> Files.exists(d.resolve("cases.yaml"))).sorted().toList();
        }
        assertThat(examples).extracting(p -> p.getFileName().toString()).contains("support-agent", "limits");
        return examples.stream().map(dir -> scenario("docs/examples/" + dir.getFileName(),
                List.of(dir.resolve("policies").toString()), dir.resolve("cases.yaml")));
    }

    @Test
    void everyScenarioNamedByTheContractIsPresent() throws IOException, URISyntaxException {
        assertThat(scenarios()).extracting(p -> p.getFileName().toString()).contains(
                "refunds", "password-reset", "crm-accounts", "role-scopes",
                "deny-by-default", "forbid-overrides", "exfiltration");
    }

    private static DynamicNode scenario(String name, List<String> sources, Path casesPath) {
        CasesFile cases = CasesFile.read(casesPath);
        LoadResult loaded = BundleLoader.load(PolicySources.excludingCasesFile(sources, casesPath));
        List<DynamicNode> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("cases file parses", () -> assertThat(cases.errors()).isEmpty()));
        tests.add(DynamicTest.dynamicTest("bundle loads", () -> assertThat(loaded.errors()).isEmpty()));
        if (cases.ok() && loaded.ok()) {
            CaseRunner runner = new CaseRunner(loaded.bundle());
            for (GoldenCase c : cases.cases()) {
                tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                    CaseResult result = runner.run(c);
                    assertThat(result.passed()).as(result::failureLine).isTrue();
                }));
            }
        }
        return DynamicContainer.dynamicContainer(name, tests);
    }

    private static List<Path> scenarios() throws IOException, URISyntaxException {
        Path root = Path.of(GoldenCasesTest.class.getResource("/golden").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).filter(d -> Files.exists(d.resolve("cases.yaml"))).sorted().toList();
        }
    }
}
