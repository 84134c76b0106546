package dev.toolguard.agent.docs;

import dev.toolguard.agent.docs.ShippedSchemas.Kind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every YAML example a user can copy validates against the schema the agent jar ships, and loads with the
 * agent's own loader: each fenced {@code yaml} block of README.md and docs/*.md, each file under docs/examples/,
 * and the config, policy and rules files of the sample apps and the integration tests.
 *
 * <p>Which schema: a block or file is recognised by {@code kind} or by shape (a top-level {@code cases},
 * a {@code tools} list, config keys, policy keys). A fragment (a part of a file, e.g. one tool) says what it
 * is in an HTML comment on the line before its fence: {@code <!-- example: policy#/$defs/tool -->};
 * {@code <!-- example: invalid policy -->} marks a deliberately broken example, which must FAIL the schema
 * and the loader; {@code <!-- example: not toolguard -->} marks YAML of another tool (Prometheus, say).
 * Files under docs/examples/broken/ are deliberately broken and must fail.
 */
class DocExamplesTest {

    static final Path ROOT = repositoryRoot();
    private static final Pattern MARKER = Pattern.compile("<!--\\s*example:\\s*(.*?)\\s*-->");
    private static final Pattern SCHEMA_LINE = Pattern.compile("#\\s*yaml-language-server:\\s*\\$schema=(\\S+)");
    private static final Set<String> POLICY_KEYS = Set.of("apiVersion", "kind", "metadata", "default", "mode", "roles",
            "forbid", "tools", "sequences", "limits", "egress");
    private static final Set<String> CONFIG_KEYS = Set.of("policy", "mode", "on_error", "instrumentation", "context",
            "audit", "approvals", "admin", "arguments", "state", "credentials");

    /** One example: where it is, its text, and what the docs say it is. */
    record Example(String where, String text, String marker) {
    }

    @TestFactory
    Stream<DynamicTest> every_yaml_block_of_the_docs_matches_its_schema_and_loads() throws IOException {
        List<Example> examples = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            examples.addAll(yamlBlocks(page));
        }
        assertThat(examples).hasSizeGreaterThan(30);
        return examples.stream().map(e -> DynamicTest.dynamicTest(e.where(), () -> check(e)));
    }

    @TestFactory
    Stream<DynamicTest> every_example_file_sample_app_file_and_test_resource_matches_its_schema_and_loads()
            throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(ROOT.resolve("docs/examples"))) {
            walk.filter(DocExamplesTest::isYaml).forEach(files::add);
        }
        try (Stream<Path> apps = Files.list(ROOT.resolve("sample-apps"))) {
            for (Path app : apps.filter(Files::isDirectory).sorted().toList()) {
                for (String name : List.of("toolguard.yaml", "rules.yaml")) {
                    if (Files.isRegularFile(app.resolve(name))) {
                        files.add(app.resolve(name));
                    }
                }
                if (Files.isDirectory(app.resolve("policies"))) {
                    try (Stream<Path> policies = Files.list(app.resolve("policies"))) {
                        policies.filter(DocExamplesTest::isYaml).forEach(files::add);
                    }
                }
            }
        }
        try (Stream<Path> walk = Files.walk(ROOT.resolve("integration-tests/src/test/resources"))) {
            walk.filter(DocExamplesTest::isYaml).forEach(files::add);
        }
        assertThat(files).extracting(p -> ROOT.relativize(p).toString())
                .contains("sample-apps/plain-java/rules.yaml", "sample-apps/plain-java/toolguard.yaml",
                        "docs/examples/broken/policy.yaml");
        return files.stream().sorted().map(f -> {
            String where = ROOT.relativize(f).toString();
            return DynamicTest.dynamicTest(where, () -> {
                String text = Files.readString(f);
                String marker = where.startsWith("docs/examples/broken/") ? "invalid" : null;
                check(new Example(where, text, marker));
                checkSchemaLine(f, text);
            });
        });
    }

    /** The file the YAML language server line points at is the schema the file is checked against. */
    private static void checkSchemaLine(Path file, String text) {
        Matcher m = SCHEMA_LINE.matcher(text);
        if (m.find()) {
            Path schema = file.getParent().resolve(m.group(1)).normalize();
            assertThat(schema).as("the $schema of " + file).exists();
            Kind kind = kindOf(ShippedSchemas.plain(file.toString(), text), file.toString());
            assertThat(schema.getFileName().toString()).as("the $schema of " + file).isEqualTo(kind.file);
        }
    }

    private static void check(Example e) throws IOException {
        String marker = e.marker() == null ? "" : e.marker();
        if (marker.equals("not toolguard")) {
            return;
        }
        boolean invalid = marker.startsWith("invalid");
        String named = invalid ? marker.substring("invalid".length()).trim() : marker;
        String pointer = null;
        Kind kind = null;
        if (!named.isEmpty()) {
            int hash = named.indexOf('#');
            kind = Kind.named(hash < 0 ? named : named.substring(0, hash));
            pointer = hash < 0 ? null : named.substring(hash + 1);
        }
        boolean fragment = pointer != null;
        if (!fragment) {
            assertThat(e.text().startsWith(" ")).as(e.where() + " is indented: a fragment must say what it is, "
                    + "e.g. <!-- example: policy#/$defs/tool -->").isFalse();
        }
        Object document = ShippedSchemas.plain(e.where(), fragment ? dedent(e.text()) : e.text());
        if (kind == null) {
            kind = kindOf(document, e.where());
        }
        Matcher schemaLine = SCHEMA_LINE.matcher(e.text());
        if (schemaLine.find()) {
            assertThat(Path.of(schemaLine.group(1)).getFileName().toString())
                    .as(e.where() + " names the schema of a " + kind).isEqualTo(kind.file);
        }
        List<String> schemaProblems = ShippedSchemas.problems(kind, pointer, document);
        if (invalid) {
            assertThat(schemaProblems).as(e.where() + " is marked invalid but the " + kind + " schema accepts it").isNotEmpty();
        } else {
            assertThat(schemaProblems).as(e.where() + " against the " + kind + " schema").isEmpty();
        }
        if (!fragment) {
            List<String> loaderProblems = Loaders.problems(kind, e.where(), e.text());
            if (invalid) {
                assertThat(loaderProblems).as(e.where() + " is marked invalid but the " + kind + " loader accepts it").isNotEmpty();
            } else {
                assertThat(loaderProblems).as(e.where() + " with the " + kind + " loader").isEmpty();
            }
        }
    }

    /** What a whole document is, by {@code kind} or by its keys. */
    static Kind kindOf(Object document, String where) {
        if (document instanceof Map<?, ?> map && !map.isEmpty()) {
            if ("Policy".equals(map.get("kind")) || map.containsKey("apiVersion")) {
                return Kind.POLICY;
            }
            if (map.containsKey("cases")) {
                return Kind.CASES;
            }
            if (map.get("tools") instanceof List<?>) {
                return Kind.RULES;
            }
            if (CONFIG_KEYS.containsAll(map.keySet()) && !Set.of("mode").containsAll(map.keySet())) {
                return Kind.CONFIG;
            }
            if (POLICY_KEYS.containsAll(map.keySet())) {
                return Kind.POLICY;
            }
        }
        throw new AssertionError(where + ": cannot tell whether this is a policy, a toolguard.yaml, a rules.yaml or "
                + "a cases file; mark it with <!-- example: ... --> before its fence");
    }

    /** The fenced yaml blocks of a Markdown page, each with the marker comment on the line before its fence. */
    static List<Example> yamlBlocks(Path page) throws IOException {
        List<Example> out = new ArrayList<>();
        for (MarkdownBlocks.Block block : MarkdownBlocks.of(page).in("yaml")) {
            Matcher m = MARKER.matcher(block.lineBefore());
            out.add(new Example(ROOT.relativize(page) + ":" + block.line(), block.text() + "\n",
                    m.find() ? m.group(1) : null));
        }
        return out;
    }

    private static String dedent(String text) {
        int indent = Integer.MAX_VALUE;
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs/schemas"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/schemas above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    @Test
    void the_schemas_on_the_class_path_are_the_ones_in_docs() throws IOException {
        for (Kind kind : Kind.values()) {
            try (var in = DocExamplesTest.class.getResourceAsStream("/schemas/" + kind.file)) {
                assertThat(in).as(kind.file + " on the class path").isNotNull();
                assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(ROOT.resolve("docs/schemas/" + kind.file)));
            }
        }
    }
}
