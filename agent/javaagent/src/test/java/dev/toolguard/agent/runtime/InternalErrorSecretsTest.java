package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.OnError;
import dev.toolguard.agent.context.CallSite;
import dev.toolguard.agent.context.ContextAssembler;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.10 for failures inside the guard: an exception whose message quotes a secret argument shows
 * {@code [REDACTED]} on standard error, in the audit record and in what the caller is told.
 */
class InternalErrorSecretsTest {

    private static final String PASSWORD = "hunter2-correct-horse";
    private static final ToolMethod LOGIN = new ToolMethod("login", "com.acme.Login", "login",
            "com.acme.Login#login(String)", List.of("password"), "guarded-tool");

    @TempDir
    Path dir;

    @Test
    void aFailureQuotingThePasswordIsToldWithRedactedInstead() throws Exception {
        ActivePolicy active = new ActivePolicy("not loaded yet");
        active.swap(new PolicyEngine(BundleLoader.loadTexts(Map.of("p.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: login}
                tools:
                  login: {action: allow}
                """)).bundle()));
        // a context source that breaks the guard with the password in its message
        ContextAssembler context = new ContextAssembler(List.of((call, ctx) -> {
            throw new AssertionError("could not use " + PASSWORD);
        }));
        List<String> stderr = new CopyOnWriteArrayList<>();
        Path file = dir.resolve("audit.jsonl");

        CallGuard.Verdict verdict;
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            GuardedCalls calls = new GuardedCalls(active, PolicyEngine.noPolicy(), context, audit, null,
                    (id, call, requiring, engine) -> requiring, DecisionMetrics.NONE, OnError.DENY, false, false,
                    module -> null, stderr::add);
            verdict = calls.before(LOGIN, new CallSite(LOGIN, null, new Object[]{PASSWORD}),
                    ArgumentReader.Result.of(Map.of("password", PASSWORD)));
        }

        assertThat(verdict.denied()).isTrue();
        assertThat(verdict.denial().getMessage()).doesNotContain(PASSWORD);
        assertThat(stderr).singleElement().asString().contains("AssertionError: could not use [REDACTED]")
                .doesNotContain(PASSWORD);
        assertThat(Files.readString(file)).contains("\"rule\":\"on_error\"").doesNotContain(PASSWORD);
    }
}
