package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.10 at the engine's exit: no reason or trace message it returns shows a redacted value. */
class SecretsStaySecretTest {

    private static final String PASSWORD = "hunter2-correct-horse";
    private static final String TOKEN = "tok_9f8e7d6c5b4a";

    private static final String POLICY = """
            tools:
              login:
                rules:
                  - when: int(args.password) > 3
                    action: allow
                  - when: args.accessToken.size() > 0 && args.accessToken == 'never'
                    action: allow
                  - action: deny
                    reason: no rule matched
            """;

    private static ToolCall login(Map<String, Object> args) {
        return new ToolCall("login", args, Map.of("user", Map.of("id", "u1")));
    }

    @Test
    void anExpressionErrorOnAPasswordShowsRedactedInsteadOfThePassword() {
        Decision d = new PolicyEngine(Policies.bundle(POLICY)).decide(
                login(Map.of("password", PASSWORD, "accessToken", TOKEN)));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).isEqualTo("no rule matched (1 rule skipped: cannot convert '[REDACTED]' to int)");
        assertThat(d.trace()).extracting(TraceStep::detail)
                .anySatisfy(m -> assertThat(m).contains("cannot convert '[REDACTED]' to int"))
                .allSatisfy(m -> assertThat(m).doesNotContain(PASSWORD).doesNotContain(TOKEN));
    }

    @Test
    void theExplanationHidesSecretsInEveryStep() {
        Decision d = new PolicyEngine(Policies.bundle(POLICY)).explain(
                login(Map.of("password", PASSWORD, "accessToken", TOKEN)));

        assertThat(d.trace()).isNotEmpty().allSatisfy(step ->
                assertThat(String.valueOf(step.detail())).doesNotContain(PASSWORD).doesNotContain(TOKEN));
    }

    @Test
    void aReasonThatQuotesASecretShowsRedacted() {
        Decision d = new PolicyEngine(Policies.bundle("""
                tools:
                  login:
                    rate_limit: {limit: 5, per: 1h, key: 'int(args.password)'}
                    action: allow
                """)).decide(login(Map.of("password", PASSWORD)));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).contains("[REDACTED]").doesNotContain(PASSWORD);
        assertThat(d.denialMessage()).doesNotContain(PASSWORD);
    }

    @Test
    void configuredKeysAndValuePatternsAreHiddenToo() {
        Redaction redaction = Redaction.of(List.of("pin"), List.of("\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b"), 2048);
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  pay:
                    rules:
                      - when: int(args.pin) > 0 || int(args.note) > 0
                        action: allow
                """), EngineState.inMemory(), false, redaction);

        Decision d = engine.decide(new ToolCall("pay", Map.of("pin", "12x4", "note", "card 4111-1111-1111-1111"),
                Map.of()));

        assertThat(d.trace()).extracting(TraceStep::detail)
                .anySatisfy(m -> assertThat(m).contains("[REDACTED]"))
                .allSatisfy(m -> assertThat(m).doesNotContain("12x4").doesNotContain("4111-1111"));
    }

    @Test
    void maxTokensIsNotASecretAndStaysInMessages() {
        Decision d = new PolicyEngine(Policies.bundle("""
                tools:
                  complete:
                    rules:
                      - when: int(args.max_tokens) > 3
                        action: allow
                """)).decide(new ToolCall("complete", Map.of("max_tokens", "lots"), Map.of()));

        assertThat(d.trace()).extracting(TraceStep::detail)
                .anySatisfy(m -> assertThat(m).contains("cannot convert 'lots' to int"));
    }

    @Test
    void approvedCallsLeaveTheEngineHiddenToo() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  login:
                    rate_limit: {limit: 5, per: 1h, key: 'int(args.token)'}
                    action: allow
                """));
        ToolCall call = new ToolCall("login", Map.of("token", TOKEN), Map.of());

        Decision d = engine.admitApproved(call, null);

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).doesNotContain(TOKEN).contains("[REDACTED]");
    }
}
