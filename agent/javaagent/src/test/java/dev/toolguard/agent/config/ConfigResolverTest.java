package dev.toolguard.agent.config;

import dev.toolguard.policy.values.Durations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigResolverTest {

    @TempDir
    Path dir;

    private static final String FULL_EXAMPLE = """
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
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private ConfigResolver.Result resolve(String agentArgs, Properties props, Map<String, String> env) {
        return ConfigResolver.resolve(agentArgs, props, env, dir);
    }

    @Test
    void theSpecsExampleConfigReadsWithoutProblems() throws IOException {
        Path file = write("conf/toolguard.yaml", FULL_EXAMPLE);

        ConfigResolver.Result r = resolve("config=" + file, new Properties(), Map.of());

        assertThat(r.problems()).isEmpty();
        AgentConfig c = r.config();
        assertThat(c.policySources()).containsExactly(dir.resolve("conf/policies").toString(),
                "https://bundles.internal/support-agent.yaml");
        assertThat(c.reload()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.rulesFiles()).containsExactly(dir.resolve("conf/rules.yaml"));
        assertThat(c.context()).extracting(ContextSourceSpec::name)
                .containsExactly("mdc", "spring-security", "spring-ai-tool-context", "system-property");
        assertThat(c.context().get(0).mapping()).containsEntry("user.id", "userId").containsEntry("session.id", "sessionId");
        assertThat(c.approvalsWebhook()).isEqualTo(URI.create("https://hooks.internal/toolguard"));
        assertThat(c.adminListen()).isEqualTo("127.0.0.1:9464");
        assertThat(c.maxValueChars()).isEqualTo(2048);
    }

    @Test
    void relativePathsInTheFileResolveAgainstTheFilesDirectory() throws IOException {
        Path file = write("conf/toolguard.yaml", """
                policy: {sources: [policies/], last_good: state/last}
                audit: {file: logs/audit.jsonl}
                """);

        AgentConfig c = resolve("config=" + file, new Properties(), Map.of()).config();

        assertThat(c.policySources()).containsExactly(dir.resolve("conf/policies").toString());
        assertThat(c.lastGood()).isEqualTo(dir.resolve("conf/state/last"));
        assertThat(c.auditFile()).isEqualTo(dir.resolve("conf/logs/audit.jsonl").toString());
    }

    @Test
    void anUnknownKeyIsAProblemNamingTheKeyAndItsPlace() throws IOException {
        Path file = write("toolguard.yaml", """
                mode: enforce
                audit:
                  file: a.jsonl
                  fsnyc: always
                """);

        ConfigResolver.Result r = resolve("config=" + file, new Properties(), Map.of());

        assertThat(r.problems()).singleElement().hasToString(file + ":4:3: unknown key 'audit.fsnyc' "
                + "(expected one of: checkpoint, file, fsync, layout, max_value_chars, redact, redact_values)");
    }

    @Test
    void aBadDurationIsAProblemAtItsPlace() throws IOException {
        Path file = write("toolguard.yaml", "policy:\n  reload: 2 seconds\n");

        ConfigResolver.Result r = resolve("config=" + file, new Properties(), Map.of());

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(file + ":2:11");
            assertThat(p.message()).contains("policy.reload", "2 seconds");
        });
    }

    @Test
    void agentOptionBeatsSystemPropertyBeatsEnvironmentBeatsFile() throws IOException {
        Path file = write("toolguard.yaml", "mode: enforce\naudit: {file: from-file.jsonl}\npolicy: {sources: [p-file.yaml]}\n");
        Properties props = new Properties();
        props.setProperty("toolguard.mode", "shadow");
        props.setProperty("toolguard.audit", "from-prop.jsonl");
        Map<String, String> env = Map.of("TOOLGUARD_MODE", "enforce", "TOOLGUARD_AUDIT", "from-env.jsonl",
                "TOOLGUARD_POLICY", "p-env.yaml");

        AgentConfig c = resolve("config=" + file + ",audit=from-option.jsonl", props, env).config();

        assertThat(c.auditFile()).isEqualTo(dir.resolve("from-option.jsonl").toString());
        assertThat(c.mode()).isEqualTo(EnforcementMode.SHADOW);
        assertThat(c.policySources()).containsExactly(dir.resolve("p-env.yaml").toString());
    }

    @Test
    void theConfigFileCanItselfComeFromTheEnvironment() throws IOException {
        Path file = write("toolguard.yaml", "on_error: allow\n");

        AgentConfig c = resolve(null, new Properties(), Map.of("TOOLGUARD_CONFIG", file.toString())).config();

        assertThat(c.onError()).isEqualTo(OnError.ALLOW);
    }

    @Test
    void withNothingGivenTheDefaultsApply() {
        ConfigResolver.Result r = resolve(null, new Properties(), Map.of());

        assertThat(r.problems()).isEmpty();
        AgentConfig c = r.config();
        assertThat(c.policySources()).isEmpty();
        assertThat(c.mode()).isEqualTo(EnforcementMode.ENFORCE);
        assertThat(c.onError()).isEqualTo(OnError.DENY);
        assertThat(c.reload()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.builtinRuleSets()).isEqualTo(AgentConfig.ALL_BUILTIN_RULE_SETS);
        assertThat(c.filterDiscovery()).isTrue();
        assertThat(c.auditFile()).isEqualTo(dir.resolve("toolguard-audit.jsonl").toString());
        assertThat(c.fsync()).isEqualTo(FsyncPolicy.NEVER);
        assertThat(c.redact()).contains("password", "api_key");
        assertThat(c.maxValueChars()).isEqualTo(2048);
        assertThat(c.adminListen()).isNull();
    }

    @Test
    void anUnknownAgentOptionIsAProblem() {
        ConfigResolver.Result r = resolve("polcy=p.yaml", new Properties(), Map.of());

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("'polcy'"));
    }

    @Test
    void aBadModeOptionIsAProblemNamingWhereItCameFrom() {
        Properties props = new Properties();
        props.setProperty("toolguard.mode", "audit-only");

        ConfigResolver.Result r = resolve(null, props, Map.of());

        assertThat(r.problems()).singleElement().hasToString(
                "system property toolguard.mode: mode must be enforce or shadow, not 'audit-only'");
    }

    @Test
    void aMissingConfigFileIsAProblem() {
        ConfigResolver.Result r = resolve("config=nope.yaml", new Properties(), Map.of());

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("does not exist"));
    }

    @Test
    void auditDashMeansStandardError() {
        AgentConfig c = resolve("audit=-", new Properties(), Map.of()).config();

        assertThat(c.auditToStderr()).isTrue();
    }

    @Test
    void aContextEntryWithTwoSourcesIsAProblem() throws IOException {
        Path file = write("toolguard.yaml", "context:\n  - {mdc: {user.id: u}, env: {tenant: T}}\n");

        assertThat(resolve("config=" + file, new Properties(), Map.of()).problems()).hasSize(1);
    }

    @Test
    void anUnknownBuiltinRuleSetIsAProblem() throws IOException {
        Path file = write("toolguard.yaml", "instrumentation: {builtin: [guarded-tool, quarkus]}\n");

        assertThat(resolve("config=" + file, new Properties(), Map.of()).problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("'quarkus'"));
    }

    @Test
    void aYamlSyntaxErrorIsAProblemWithAPlace() throws IOException {
        Path file = write("toolguard.yaml", "mode: [enforce\n");

        assertThat(resolve("config=" + file, new Properties(), Map.of()).problems())
                .singleElement().satisfies(p -> assertThat(p.where()).startsWith(file + ":"));
    }

    @Test
    void durationsTakeEveryUnit() {
        assertThat(Durations.parse("250ms")).contains(Duration.ofMillis(250));
        assertThat(Durations.parse("2s")).contains(Duration.ofSeconds(2));
        assertThat(Durations.parse("1.5m")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
        assertThat(Durations.parse("0")).contains(Duration.ZERO);
        assertThat(Durations.parse("2")).isEmpty();
        assertThat(Durations.parse("2 s")).isEmpty();
        assertThat(Durations.parse("-1s")).isEmpty();
    }

    @Test
    void emptyListOfSourcesMeansNoPolicy() throws IOException {
        Path file = write("toolguard.yaml", "policy: {sources: []}\n");

        assertThat(resolve("config=" + file, new Properties(), Map.of()).config().policySources()).isEqualTo(List.of());
    }
}
