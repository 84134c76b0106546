package dev.toolguard.policy.audit;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.10 through the decision record's reuse of the engine's walk (Redaction#secretsOfDecided): the record
 * takes the values the engine found only for the very same objects under the same rules; every other case walks
 * again, so a secret the engine did not see, or a rule only the log has, is still hidden in the reason and errors.
 * A walk made here with {@code Redaction#secretsOf} is what the engine does just before the record is written.
 */
class AuditSecretReuseTest {

    private static final String PIN = "pin-7731-zz";
    private static final String TOKEN = "tok-abcdef-123456";
    private static final String CARD = "4111-1111-1111-1111";
    private static final String CARD_PATTERN = "\\d{4}-\\d{4}-\\d{4}-\\d{4}";

    @TempDir
    Path dir;

    @Test
    void aSecretInValuesTheEngineDidNotWalkIsHidden() throws Exception {
        Redaction rules = Redaction.DEFAULT;
        Map<String, Object> walkedArgs = Map.of("note", "nothing secret");
        Map<String, Object> ctx = Map.of("user", "u1");
        rules.secretsOf(walkedArgs, ctx); // the engine walked other args
        ToolCall call = new ToolCall("t", Map.of("token", TOKEN), ctx);

        String text = write(rules, call, quoting(TOKEN));

        assertThat(text).doesNotContain(TOKEN).contains("bad value [REDACTED]").contains("saw [REDACTED]");
    }

    @Test
    void aKeyOnlyTheLogIsConfiguredWithIsHidden() throws Exception {
        Redaction engine = Redaction.of(List.of(), 2048);
        Redaction log = Redaction.of(List.of("pin"), 2048);
        ToolCall call = new ToolCall("t", Map.of("pin", PIN), Map.of());
        engine.secretsOf(call.args(), call.ctx()); // the very same objects, walked under other rules

        String text = write(log, call, quoting(PIN));

        assertThat(text).doesNotContain(PIN).contains("\"pin\":\"[REDACTED]\"").contains("bad value [REDACTED]");
    }

    @Test
    void aValuePatternOnlyTheLogHasIsApplied() throws Exception {
        Redaction engine = Redaction.of(List.of(), 2048);
        Redaction log = Redaction.of(List.of(), List.of(CARD_PATTERN), 2048);
        ToolCall call = new ToolCall("t", Map.of("note", "card " + CARD), Map.of());
        engine.secretsOf(call.args(), call.ctx());

        String text = write(log, call, quoting(CARD));

        assertThat(text).doesNotContain("4111-1111").contains("bad value [REDACTED]").contains("saw [REDACTED]");
    }

    @Test
    void aLimitOnlyTheLogHasIsNotTakenAsTheSameRules() {
        Redaction engine = Redaction.of(List.of("pin"), 2048);
        assertThat(engine.sameRules(Redaction.of(List.of("pin"), 2048))).isTrue();
        assertThat(engine.sameRules(Redaction.of(List.of("pin"), 100))).isFalse();
        assertThat(engine.sameRules(Redaction.of(List.of("pin"), List.of(CARD_PATTERN), 2048))).isFalse();
        assertThat(engine.sameRules(Redaction.of(List.of("pins"), 2048))).isFalse();
    }

    @Test
    void aWalkInBetweenMakesTheRecordWalkAgain() throws Exception {
        Redaction rules = Redaction.of(List.of("pin"), 2048);
        ToolCall call = new ToolCall("t", Map.of("pin", PIN), Map.of());
        rules.secretsOf(call.args(), call.ctx());
        rules.secretsOf(Map.of("other", "x"), Map.of()); // another call's walk on this thread since

        String text = write(rules, call, quoting(PIN));

        assertThat(text).doesNotContain(PIN).contains("bad value [REDACTED]");
    }

    @Test
    void theEnginesWalkOfTheSameObjectsHidesNestedAndTextValues() throws Exception {
        Redaction engine = Redaction.of(List.of("pin"), List.of(CARD_PATTERN), 2048);
        Redaction log = Redaction.of(List.of("pin"), List.of(CARD_PATTERN), 2048);
        Map<String, Object> args = Map.of("items", List.of(Map.of("pin", PIN), Map.of("card", "card " + CARD)),
                "auth", Map.of("access_token", new StringBuilder(TOKEN)));
        ToolCall call = new ToolCall("t", args, Map.of("session", Map.of("pin_codes", List.of("pin-2-secret-x"))));
        engine.secretsOf(call.args(), call.ctx()); // what the engine walked, under the same rules

        Decision d = new Decision(Action.DENY, true, "bad value " + PIN + ", " + TOKEN + ", pin-2-secret-x, " + CARD,
                "on_error", null, null, null, null, 5, null,
                List.of(new TraceStep("internal", "on_error", "error", "saw " + TOKEN)),
                Decision.Origin.INTERNAL_ERROR);
        String text = write(log, call, d);

        assertThat(text).doesNotContain(PIN).doesNotContain(TOKEN).doesNotContain("pin-2-secret-x")
                .doesNotContain("4111-1111")
                .contains("bad value [REDACTED], [REDACTED], [REDACTED], [REDACTED]").contains("saw [REDACTED]");
    }

    @Test
    void theEnginesOwnDecisionsAreWrittenHiddenInEnforcedAndShadowMode() throws Exception {
        Redaction rules = Redaction.of(List.of("pin"), 2048);
        for (boolean shadow : new boolean[] {false, true}) {
            PolicyEngine engine = new PolicyEngine(quotingBundle(), EngineState.inMemory(), shadow,
                    Redaction.of(List.of("pin"), 2048));
            ToolCall call = new ToolCall("login", Map.of("pin_code", PIN), Map.of());
            Decision d = engine.decide(call);
            assertThat(d.reason()).contains("cannot convert '[REDACTED]' to int");

            String text = write(rules, call, d); // the log's own instance of the same rules: the engine's walk is used

            assertThat(text).doesNotContain(PIN).contains("cannot convert '[REDACTED]' to int")
                    .contains("\"enforced\":" + !shadow);
        }
    }

    @Test
    void anEngineDecisionUnderWeakerRulesIsHiddenByTheLogsRules() throws Exception {
        PolicyEngine engine = new PolicyEngine(quotingBundle(), EngineState.inMemory(), false, Redaction.DEFAULT);
        ToolCall call = new ToolCall("login", Map.of("pin_code", PIN), Map.of());
        Decision d = engine.decide(call);
        assertThat(d.reason()).contains(PIN); // not a secret to the engine's rules

        String text = write(Redaction.of(List.of("pin"), 2048), call, d);

        assertThat(text).doesNotContain(PIN).contains("cannot convert '[REDACTED]' to int");
    }

    /** A bundle whose reason quotes {@code args.pin_code} (an expression error names the value it could not convert). */
    private static PolicyBundle quotingBundle() {
        var loaded = BundleLoader.loadTexts(Map.of("policy.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: test, version: v1}
                tools:
                  login:
                    rules:
                      - when: int(args.pin_code) > 3
                        action: allow
                      - action: deny
                        reason: no rule matched
                """));
        assertThat(loaded.errors()).isEmpty();
        return loaded.bundle();
    }

    /** A decision made outside the engine, whose reason and error quote {@code value} unhidden. */
    private static Decision quoting(String value) {
        return new Decision(Action.DENY, true, "internal error (bad value " + value + ")", "on_error", null,
                null, null, null, 5, null, List.of(new TraceStep("internal", "on_error", "error", "saw " + value)),
                Decision.Origin.INTERNAL_ERROR);
    }

    private String write(Redaction redaction, ToolCall call, Decision decision) throws Exception {
        Path file = Files.createTempFile(dir, "audit", ".jsonl");
        Files.delete(file);
        try (AuditLog log = AuditLog.open(new AuditConfig(file.toString(), FsyncMode.NEVER, null, redaction),
                Map.of("agent", "test"))) {
            log.decision("c1", call, "com.acme.T#t()", decision);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
