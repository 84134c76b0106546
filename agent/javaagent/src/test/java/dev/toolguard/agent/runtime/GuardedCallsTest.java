package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.OnError;
import dev.toolguard.agent.context.CallSite;
import dev.toolguard.agent.context.ContextAssembler;
import dev.toolguard.agent.context.ContextSource;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The decide-and-audit path against a real audit log: what is in the file when each step returns. */
class GuardedCallsTest {

    private static final ToolMethod PING = new ToolMethod("ping", "com.acme.Ping", "ping", "com.acme.Ping#ping(long)",
            List.of("n"), "guarded-tool");

    @TempDir
    Path dir;

    private static List<String> types(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(l -> l.substring(l.indexOf("\"type\":\"") + 8, l.indexOf('"', l.indexOf("\"type\":\"") + 8))).toList();
    }

    @Test
    void theDecisionIsWithTheOsBeforeTheBodyAndTheOutcomeBeforeTheCallReturns() throws Exception {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("ping.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: ping, version: "1"}
                tools:
                  ping: {action: allow}
                """));
        assertThat(loaded.errors()).isEmpty();
        ActivePolicy active = new ActivePolicy("not loaded yet");
        active.swap(new PolicyEngine(loaded.bundle()));
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(active, PolicyEngine.noPolicy(), new ContextAssembler(List.of()), audit,
                    null, (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.DENY, false, false,
                    module -> null, message -> { });

            CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L)));
            assertThat(verdict.denied()).isFalse();
            assertThat(types(file)).containsExactly("start", "decision");

            calls.after(verdict, 1L, null);
            // no other write happens in between: the outcome went to the OS before after() returned
            assertThat(types(file)).containsExactly("start", "decision", "outcome");
        }
    }

    @Test
    void aCallWhoseFirstPolicyLoadDidNotEndInTimeIsDeniedSayingSoEvenWithOnErrorAllow() throws Exception {
        ActivePolicy starting = ActivePolicy.firstLoadPending("no policy loaded yet: the agent is starting",
                java.time.Duration.ZERO, "no policy loaded: the first policy load did not finish within"
                        + " policy.first_load_wait (0 ms)");
        starting.swap(pingAllowed().current().engine()); // loaded, but the load has not ended: it decides nothing yet
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(starting, PolicyEngine.noPolicy(), new ContextAssembler(List.of()),
                    audit, null, (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.ALLOW, false,
                    false, module -> null, message -> { });

            CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L)));
            assertThat(verdict.denied()).isTrue();
            assertThat(verdict.denial().getMessage()).isEqualTo("Denied by ToolGuard: no policy loaded: the first policy"
                    + " load did not finish within policy.first_load_wait (0 ms) [no_policy]");
            assertThat(Files.readAllLines(file).get(1)).contains("\"action\":\"deny\"").contains("\"enforced\":true")
                    .contains("\"rule\":\"no_policy\"");

            // once the load has ended, the bundle it brought decides
            starting.firstLoadEnded();
            assertThat(calls.before(PING, new CallSite(PING, null, new Object[]{2L}),
                    ArgumentReader.Result.of(Map.of("n", 2L))).denied()).isFalse();
        }
    }

    @Test
    void inShadowModeACallWhoseFirstPolicyLoadDidNotEndInTimeIsAuditedAsDeniedNotBlocked() throws Exception {
        ActivePolicy starting = ActivePolicy.firstLoadPending("no policy loaded yet: the agent is starting",
                java.time.Duration.ZERO, "no policy loaded: the first policy load did not finish within"
                        + " policy.first_load_wait (0 ms)");
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(starting, PolicyEngine.noPolicy(),
                    new ContextAssembler(List.of()), audit, null, (id, call, requiring, engine) -> requiring,
                    DecisionMetrics.NONE, OnError.DENY, true, false, module -> null, message -> { });

            CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L)));
            assertThat(verdict.denied()).isFalse();
            assertThat(Files.readAllLines(file).get(1)).contains("\"action\":\"deny\"").contains("\"enforced\":false")
                    .contains("first policy load did not finish");
        }
    }

    private static ActivePolicy pingAllowed() {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("ping.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: ping, version: "1"}
                tools:
                  ping: {action: allow}
                """));
        ActivePolicy active = new ActivePolicy("not loaded yet");
        active.swap(new PolicyEngine(loaded.bundle()));
        return active;
    }

    @Test
    void theFirstConditionErrorOfEachToolGoesToStandardErrorOnce() throws Exception {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("ping.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: ping, version: "1"}
                tools:
                  ping:
                    rules:
                      - when: '"ops" in ctx.user.roles'
                        action: allow
                """));
        ActivePolicy active = new ActivePolicy("not loaded yet");
        active.swap(new PolicyEngine(loaded.bundle()));
        List<String> said = new java.util.ArrayList<>();
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(dir.resolve("audit.jsonl").toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(active, PolicyEngine.noPolicy(), new ContextAssembler(List.of()), audit,
                    null, (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.DENY, false, false,
                    module -> null, said::add);

            for (int i = 0; i < 3; i++) {
                CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                        ArgumentReader.Result.of(Map.of("n", 1L)));
                assertThat(verdict.denial().getMessage()).isEqualTo("Denied by policy ping: no rule of tool 'ping' allows"
                        + " this call (1 rule skipped: no such key: user) [tools.ping.rules]");
            }
        }

        assertThat(said).singleElement().asString().isEqualTo("toolguard: tool ping: tools.ping.rules[0]:"
                + " '\"ops\" in ctx.user.roles' failed: no such key: user; an allow rule that errors is skipped"
                + " (said once per tool; every such error is in the audit record's errors)");
    }

    @Test
    void aCallOfAModuleThatDoesNotFitItsFrameworkIsDeniedEvenWithOnErrorAllowAndTheRecordSaysWhy() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(pingAllowed(), PolicyEngine.noPolicy(), new ContextAssembler(List.of()),
                    audit, null, (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.ALLOW, false,
                    false, module -> module.equals("guarded-tool") ? "the guarded-tool integration does not fit" : null,
                    message -> { });

            CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L)));

            assertThat(verdict.denied()).isTrue();
            assertThat(verdict.denial().getMessage()).isEqualTo(
                    "Denied by ToolGuard: the guarded-tool integration does not fit [on_error]");
            assertThat(Files.readAllLines(file).get(1)).contains("\"action\":\"deny\"").contains("\"rule\":\"on_error\"");
        }
    }

    @Test
    void aContextValueThatCannotBeConvertedDeniesTheCallEvenWithOnErrorAllowAndTheRecordSaysWhy() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        // a framework's context value that is an object with no properties: once silently absent, now a denial
        ContextSource opaque = (call, ctx) -> ctx.putConverted("tenant", new Object());
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(pingAllowed(), PolicyEngine.noPolicy(),
                    new ContextAssembler(List.of(opaque)), audit, null, (id, call, requiring, engine) -> requiring,
                    DecisionMetrics.NONE, OnError.ALLOW, false, false, module -> null, message -> { });

            CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L)));

            assertThat(verdict.denied()).isTrue();
            assertThat(verdict.denial().getMessage()).isEqualTo("Denied by policy ping: invalid call: context tenant"
                    + " cannot be read: a java.lang.Object is neither a plain value nor a bean with properties [on_error]");
            assertThat(Files.readAllLines(file).get(1)).contains("\"action\":\"deny\"").contains("\"rule\":\"on_error\"")
                    .contains("invalid call: context tenant cannot be read");
            assertThat(calls.discoverable("ping")).isFalse();
        }
    }

    @Test
    void anInternalErrorAllowedByOnErrorIsDeniedAfterAllWhenItsRecordCannotBeWritten() {
        List<String> said = new java.util.ArrayList<>();
        GuardedCalls calls = new GuardedCalls(pingAllowed(), PolicyEngine.noPolicy(), new ContextAssembler(List.of()),
                null, "the disk is gone", (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.ALLOW, false,
                false, module -> null, said::add);

        CallGuard.Verdict verdict = calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                ArgumentReader.Result.of(Map.of("n", 1L)));

        assertThat(verdict.denied()).isTrue();
        // the model reads only that the call was not decided; what failed is said on standard error
        assertThat(verdict.denial().getMessage()).isEqualTo("ToolGuard could not decide this call (internal error) [on_error]");
        assertThat(said).singleElement().asString().contains("the audit log is not open: the disk is gone");
    }

    @Test
    void aCallDeniedBecauseItsRecordCouldNotBeWrittenChargesNothing() throws Exception {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("limited.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: limited, version: "1"}
                tools:
                  ping:
                    rate_limit: {limit: 1, per: 1h, key: tool}
                    action: allow
                """));
        ActivePolicy active = new ActivePolicy("not loaded yet");
        active.swap(new PolicyEngine(loaded.bundle()));
        GuardedCalls unrecorded = new GuardedCalls(active, PolicyEngine.noPolicy(), new ContextAssembler(List.of()),
                null, "the disk is gone", (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.DENY,
                false, false, module -> null, message -> { });

        assertThat(unrecorded.before(PING, new CallSite(PING, null, new Object[]{1L}),
                ArgumentReader.Result.of(Map.of("n", 1L))).denied()).isTrue();

        // the one token of the hour is still there for a call whose record is written
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(dir.resolve("audit.jsonl").toString()), Map.of())) {
            GuardedCalls recorded = new GuardedCalls(active, PolicyEngine.noPolicy(), new ContextAssembler(List.of()),
                    audit, null, (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.DENY, false,
                    false, module -> null, message -> { });
            assertThat(recorded.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L))).denied()).isFalse();
            assertThat(recorded.before(PING, new CallSite(PING, null, new Object[]{1L}),
                    ArgumentReader.Result.of(Map.of("n", 1L))).denial().getMessage()).contains("rate limit reached");
        }
    }

    @Test
    void inShadowModeACallWhoseRecordCannotBeWrittenIsStillStopped() {
        GuardedCalls calls = new GuardedCalls(pingAllowed(), PolicyEngine.noPolicy(), new ContextAssembler(List.of()),
                null, "the disk is gone", (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.DENY,
                true, false, module -> null, message -> { });

        assertThat(calls.before(PING, new CallSite(PING, null, new Object[]{1L}),
                ArgumentReader.Result.of(Map.of("n", 1L))).denied()).isTrue();
    }
}
