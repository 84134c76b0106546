package dev.toolguard.agent.config;

import dev.toolguard.policy.fuzz.Fuzz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §2: whatever {@code toolguard.yaml} holds, resolving the agent's config gives a config and a list of
 * problems, each placed at {@code file:line:col} in that file; it never throws (a start that threw would leave
 * the agent without a decision on what to guard). Inputs are random text and text mutations of valid configs:
 * keys of SPEC §2 and odd values, anchors and aliases, tags, deep nesting, long and unicode strings.
 *
 * <p>Bounded and seeded ({@link Fuzz}): 1,000 tries each from a fixed seed;
 * {@code -Dtoolguard.fuzz.tries=100000} runs a longer session (docs/security.md).
 */
class ConfigFileFuzzTest {

    private static final Pattern LOCATED = Pattern.compile("(.*):(\\d+):(\\d+)");

    /** Valid configs to mutate: each resolves without a problem (checked by {@link #theSeedConfigsResolve}). */
    private static final List<String> SEEDS = List.of(
            """
            policy:
              sources: [policies/, https://bundles.internal/support-agent.yaml]
              reload: 2s
              last_good: .toolguard/last-good
            mode: enforce
            on_error: deny
            instrumentation:
              builtin: [guarded-tool, langchain4j, spring-ai, mcp, semantic-kernel]
              rules: [rules.yaml]
              filter_discovery: true
            context:
              - mdc: {user.id: userId, tenant: tenantId, session.id: sessionId}
              - spring-security: {}
              - spring-ai-tool-context: {}
              - system-property: {agent.id: toolguard.agent.id}
            audit:
              file: toolguard-audit.jsonl
              fsync: never
              redact: [password, token, secret, api_key, apikey, authorization, credential]
              max_value_chars: 2048
            approvals:
              webhook: https://hooks.internal/toolguard
            admin:
              listen: 127.0.0.1:9464
              token_env: TOOLGUARD_ADMIN_TOKEN
            """,
            """
            policy: {sources: policy.yaml, reload: 0}
            mode: shadow
            audit: {file: "-", fsync: always}
            """);

    private static final List<String> FRAGMENTS = List.of("&a ", "*a", "<<: *a\n", "&a [*a]", "!!binary ", "!!int ",
            "!!python/object:x ", "!<tag:x> ", "? ", ": ", "- ", "\n  - ", "\n    ", "\t", "{", "}", "[", "]", ",", "'",
            "\"", "#", "|\n  ", ">-\n  ", "---\n", "...\n", "%YAML 1.1\n", "~", "null", "yes", "1e999", "-1", "0",
            "99999999999", "1x", "é", "🙂", "\u0000", "\u0007", "\uFEFF", "\uD800", "\r\n", "\\", "sources: ",
            "reload: ", "mode: ", "audit: ", "file: ", "max_value_chars: ", "webhook: ", "listen: ", "context:\n  - ",
            "http://", "ftp://x", "\"\\0\"", "\"a\\u0000b\"", "[".repeat(300), "{a: ".repeat(100), "x".repeat(5000),
            "'" + "é".repeat(1000) + "'", "&x [*x, *x, *x, *x, *x, *x, *x, *x, *x]\n");

    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("toolguard-config-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- properties ----

    @Test
    void randomTextResolvesWithLocatedProblems() {
        Fuzz.forAll(20261220L, f -> f.string(0, 255), ConfigFileFuzzTest::assertResolvesWithLocatedProblems);
    }

    @Test
    void bytesThatAreNotUtf8ResolveWithLocatedProblems() {
        Fuzz.forAll(20261223L, ConfigFileFuzzTest::notUtf8,
                bytes -> assertResolvesWithLocatedProblems(bytes, new String(bytes, StandardCharsets.UTF_8)));
    }

    @Test
    void mutatedConfigsResolveWithLocatedProblems() {
        Fuzz.forAll(20261221L, f -> f.mutate(f.pick(SEEDS), FRAGMENTS, 6,
                        EnumSet.of(Fuzz.Edit.INSERT, Fuzz.Edit.DELETE, Fuzz.Edit.REPEAT, Fuzz.Edit.REPLACE_LINE)),
                ConfigFileFuzzTest::assertResolvesWithLocatedProblems);
    }

    @Test
    void configsWithOddValuesResolveWithLocatedProblems() {
        Fuzz.forAll(20261222L, ConfigFileFuzzTest::oddConfig, ConfigFileFuzzTest::assertResolvesWithLocatedProblems);
    }

    // ---- what the fuzzing found, pinned ----

    @Test
    void aPathWithANulByteIsAProblemAtItsValue() throws IOException {
        ConfigResolver.Result result = resolve("mode: enforce\naudit:\n  file: \"a\\0b\"\n");

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dir.resolve("toolguard.yaml") + ":3:9");
            assertThat(p.message()).startsWith("audit.file is not a valid path");
        });
    }

    @Test
    void aCharacterYamlForbidsIsAProblemAtItsPlace() throws IOException {
        ConfigResolver.Result result = resolve("mode: enforce\npolicy:\n  sources: \u0001x\n");

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dir.resolve("toolguard.yaml") + ":3:12");
            assertThat(p.message()).isEqualTo("not valid YAML: the character U+0001 is not allowed");
        });
    }

    @Test
    void bytesThatAreNotUtf8AreAProblemAtTheFirstOfThem() throws IOException {
        byte[] text = "mode: enforce\naudit:\n  file: a\u00e9\n".getBytes(StandardCharsets.UTF_8);
        text[text.length - 2] = (byte) 0xFF; // the second byte of é

        ConfigResolver.Result result = resolve(text);

        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dir.resolve("toolguard.yaml") + ":3:10");
            assertThat(p.message()).startsWith("the file is not UTF-8 text");
        });
    }

    @Test
    void theSeedConfigsResolve() throws IOException {
        for (String seed : SEEDS) {
            ConfigResolver.Result result = resolve(seed);
            assertThat(result.problems()).as(seed).isEmpty();
        }
    }

    // ---- assertion ----

    private static ConfigResolver.Result resolve(String text) throws IOException {
        return resolve(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ConfigResolver.Result resolve(byte[] bytes) throws IOException {
        Path file = dir.resolve("toolguard.yaml");
        Files.write(file, bytes);
        return ConfigResolver.resolve("config=" + file, new Properties(), Map.of(), dir);
    }

    private static void assertResolvesWithLocatedProblems(String text) throws IOException {
        assertResolvesWithLocatedProblems(text.getBytes(StandardCharsets.UTF_8), text);
    }

    private static void assertResolvesWithLocatedProblems(byte[] bytes, String text) throws IOException {
        ConfigResolver.Result result = resolve(bytes);
        assertThat(result.config()).as("a config, trusted or not").isNotNull();
        String file = dir.resolve("toolguard.yaml").toString();
        long lines = text.lines().count();
        for (ConfigProblem problem : result.problems()) {
            Matcher where = LOCATED.matcher(problem.where());
            assertThat(where.matches()).as("%s is placed at file:line:col", problem).isTrue();
            assertThat(where.group(1)).as("the file of %s", problem).isEqualTo(file);
            assertThat(Long.parseLong(where.group(2))).as("the line of %s", problem).isBetween(1L, lines + 2);
            assertThat(Long.parseLong(where.group(3))).as("the column of %s", problem).isPositive();
            // an exception's class name in a message means one was caught that no check anticipated
            assertThat(problem.message()).as("the message of %s", problem).isNotBlank()
                    .doesNotContain("Exception", "java.lang.");
        }
    }

    // ---- generators ----

    /** Mostly UTF-8 text of a config, with a byte that UTF-8 forbids spliced in somewhere. */
    private static byte[] notUtf8(Fuzz f) {
        byte[] text = f.pick(SEEDS).getBytes(StandardCharsets.UTF_8);
        int at = Math.min(text.length, (int) (f.unit() * text.length));
        byte bad = f.pick((byte) 0x80, (byte) 0xC3, (byte) 0xFF, (byte) 0xED, (byte) 0xF4);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, at);
        out[at] = bad;
        System.arraycopy(text, at, out, at + 1, text.length - at);
        return out;
    }

    private static final List<String> KEYS = List.of("policy.sources", "policy.reload", "policy.last_good",
            "policy.unknown", "mode", "on_error", "instrumentation.builtin", "instrumentation.rules",
            "instrumentation.filter_discovery", "context", "context.mdc", "audit.file", "audit.fsync", "audit.redact",
            "audit.max_value_chars", "approvals.webhook", "admin.listen", "admin.token_env", "unknown", "policy",
            "audit");

    private static final List<String> VALUES = List.of("2s", "0", "enforce", "shadow", "deny", "allow", "never",
            "batch", "always", "-", "true", "false", "2048", "0", "-1", "99999999999999999999", "1.5", "127.0.0.1:0",
            ":9464", "[::1]:1", "https://hooks.internal/x", "http://", "mailto:x", "TOOLGUARD_ADMIN_TOKEN", "~", "null",
            "''", "[]", "{}", "[a, b]", "{a: b}", "[[[[]]]]", "\"\\0\"", "\"\\t\\u2028\"", "!!binary aGk=", "&a x",
            "*a", "*undefined", "é🙂", "x".repeat(2000), "'" + "../".repeat(200) + "'");

    /** Configs of SPEC §2's keys (and a few unknown ones), each with a usual or an odd value, in any order. */
    private static String oddConfig(Fuzz f) {
        List<String> entries = f.listOf(0, 8, () -> {
            String key = f.pick(KEYS);
            String value = f.bool() ? f.pick(VALUES)
                    : "\"" + f.string(0, 12).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            return key + "=" + value;
        });
        return asYaml(entries);
    }

    /** {@code a.b=v} entries as nested YAML, a repeated section written twice (a duplicate key on purpose). */
    private static String asYaml(List<String> entries) {
        StringBuilder out = new StringBuilder();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String key = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            int dot = key.indexOf('.');
            if (dot < 0) {
                out.append(key).append(": ").append(value).append('\n');
            } else if (key.startsWith("context.")) {
                out.append("context:\n  - ").append(key.substring(dot + 1)).append(": ").append(value).append('\n');
            } else {
                out.append(key, 0, dot).append(":\n  ").append(key.substring(dot + 1)).append(": ").append(value)
                        .append('\n');
            }
        }
        return out.toString();
    }
}
