package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.InMemorySessionHistory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.decide.Policies.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §4 "Errors never widen" and §5 steps 3 and 6: an error, an absent value or a shadow-mode file never loosens
 * what an enforced policy decides. Each test is an attack that worked while the guard did what it was coded to.
 */
class ErrorsNeverWidenTest {

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final EngineState state = EngineState.inMemory(time);

    private PolicyEngine engine(String body) {
        return new PolicyEngine(Policies.bundle(body), state);
    }

    private static final String REFUNDS = """
            tools:
              issue_refund:
                rules:
                  - when: args.amount / args.qty > 100
                    action: deny
                    reason: unit price too high
                  - action: allow
            """;

    private static ToolCall refund(Object amount, Object qty) {
        return new ToolCall("issue_refund", Map.of("amount", amount, "qty", qty), Map.of("user", Map.of("id", "u1")));
    }

    @Test
    void aDenyRuleWhoseConditionDividesByZeroAppliesInsteadOfFallingThroughToAnAllow() {
        Decision d = engine(REFUNDS).decide(refund(5000, 0));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.issue_refund.rules[0]");
        assertThat(d.reason()).isEqualTo("unit price too high (the rule applies because its condition failed: division by zero)");
        assertThat(d.trace()).singleElement().satisfies(step -> {
            assertThat(step.outcome()).isEqualTo("error");
            assertThat(step.detail()).contains("division by zero", "a deny rule that errors applies");
        });
    }

    @Test
    void aDenyRuleWhoseConditionOverflowsApplies() {
        Decision d = engine(REFUNDS.replace("args.amount / args.qty > 100", "args.amount * args.qty > 100"))
                .decide(refund(Long.MAX_VALUE, 2));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).contains("integer overflow");
    }

    @Test
    void aDenyRuleMetWithAStringWhereANumberIsExpectedApplies() {
        Decision d = engine(REFUNDS.replace("args.amount / args.qty > 100", "args.amount > 100")).decide(refund("5000", 1));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.issue_refund.rules[0]");
        assertThat(d.reason()).contains("type mismatch");
    }

    @Test
    void aRequireApprovalRuleWhoseConditionErrorsApplies() {
        PolicyEngine engine = engine("""
                tools:
                  issue_refund:
                    rules:
                      - when: args.amount / args.qty > 100
                        action: require_approval
                      - action: allow
                """);

        Decision d = engine.decide(refund(5000, 0));

        assertThat(d.action()).isEqualTo(Action.REQUIRE_APPROVAL);
        assertThat(d.reason()).contains("division by zero");
    }

    @Test
    void anAllowRuleWhoseConditionErrorsIsSkippedAndTheDenialSaysSo() {
        PolicyEngine engine = engine("""
                tools:
                  issue_refund:
                    rules:
                      - when: '"support_l1" in ctx.user.roles'
                        action: allow
                      - when: '"manager" in ctx.user.roles'
                        action: allow
                """);

        Decision d = engine.decide(new ToolCall("issue_refund", Map.of("amount", 5), Map.of()));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.issue_refund.rules");
        assertThat(d.reason()).isEqualTo("no rule of tool 'issue_refund' allows this call (2 rules skipped: no such key: user)");
    }

    @Test
    void aDenialByALaterRuleNamesTheSkippedOne() {
        PolicyEngine engine = engine("""
                tools:
                  issue_refund:
                    rules:
                      - when: ctx.user.tier == "gold"
                        action: allow
                      - action: deny
                        reason: refund amount not allowed for your role
                """);

        Decision d = engine.decide(new ToolCall("issue_refund", Map.of(), Map.of()));

        assertThat(d.reason()).isEqualTo("refund amount not allowed for your role (1 rule skipped: no such key: user)");
    }

    @Test
    void aDecisionWithoutErrorsKeepsItsPlainReason() {
        Decision d = engine(REFUNDS).decide(refund(5000, 10));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).isEqualTo("unit price too high");
        assertThat(d.trace()).isEmpty();
    }

    private static final String SCOPED = "tools:\n  crm.delete_contact: {action: allow}\n";

    @Test
    void anEmptyScopeListGrantsNothing() {
        Decision d = engine(SCOPED).decide(new ToolCall("crm.delete_contact", Map.of(),
                Map.of("agent", Map.of("scopes", List.of()))));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("roles");
    }

    private static final String EXFILTRATION = """
            tools:
              crm.read_account: {action: allow}
              email.send_external: {action: allow}
            sequences:
              - name: no-crm-exfiltration
                after: ["crm.read*"]
                deny: [email.send_external]
                within: session
            """;

    @Test
    void aCallWithNeitherSessionNorUserToAToolASequenceCouldDenyIsDenied() {
        PolicyEngine engine = engine(EXFILTRATION);

        Decision d = engine.decide(new ToolCall("email.send_external", Map.of(), Map.of("tenant", "acme")));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("sequences.no-crm-exfiltration");
        assertThat(d.reason()).contains("neither ctx.session.id nor ctx.user.id");
        assertThat(d.trace()).singleElement().satisfies(step -> assertThat(step.outcome()).isEqualTo("error"));
        // a tool no sequence denies needs no key
        assertThat(engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of())).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aReadMadeInShadowModeArmsAnEnforcedSequence() {
        PolicyEngine engine = new PolicyEngine(Policies.files(
                "a-enforced.yaml", HEADER + "metadata: {name: test}\ntools:\n  email.send_external: {action: allow}\n"
                        + "sequences:\n  - name: no-crm-exfiltration\n    after: [\"crm.read*\"]\n"
                        + "    deny: [email.send_external]\n",
                "b-shadow.yaml", HEADER + "mode: shadow\ntools:\n  crm.read_account: {action: deny}\n"), state);
        Map<String, Object> ctx = Map.of("session", Map.of("id", "s1"));

        Decision read = engine.decide(new ToolCall("crm.read_account", Map.of(), ctx));
        assertThat(read.action()).isEqualTo(Action.DENY);
        assertThat(read.enforced()).isFalse(); // the body runs: data was read

        Decision send = engine.decide(new ToolCall("email.send_external", Map.of(), ctx));
        assertThat(send.action()).isEqualTo(Action.DENY);
        assertThat(send.enforced()).isTrue();
        assertThat(send.rule()).isEqualTo("sequences.no-crm-exfiltration");
    }

    @Test
    void aReadUnderAForcedShadowModeArmsTheSequenceForLater() {
        new PolicyEngine(Policies.bundle("tools:\n  crm.read_account: {action: deny}\n  email.send_external: {action: allow}\n"
                + "sequences:\n  - {name: s, after: [\"crm.read*\"], deny: [email.send_external]}\n"), state, true)
                .decide(new ToolCall("crm.read_account", Map.of(), Map.of("user", Map.of("id", "u1"))));

        Decision send = engine(EXFILTRATION).decide(new ToolCall("email.send_external", Map.of(), Map.of("user", Map.of("id", "u1"))));

        assertThat(send.action()).isEqualTo(Action.DENY);
    }

    @Test
    void withinSessionLooksBackTheSessionTtl() {
        EngineState shortLived = EngineState.inMemory(time, Duration.ofHours(1), 10);
        PolicyEngine engine = new PolicyEngine(Policies.bundle(EXFILTRATION), shortLived);
        Map<String, Object> ctx = Map.of("session", Map.of("id", "s1"));
        engine.decide(new ToolCall("crm.read_account", Map.of(), ctx));

        time.advance(Duration.ofMinutes(59));
        assertThat(engine.decide(new ToolCall("email.send_external", Map.of(), ctx)).action()).isEqualTo(Action.DENY);
        time.advance(Duration.ofMinutes(2));
        assertThat(engine.decide(new ToolCall("email.send_external", Map.of(), ctx)).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aFullHistoryNeverForgetsASessionThatCanStillDenyItDeniesTheNewSessionsArmingCall() {
        InMemorySessionHistory history = new InMemorySessionHistory(Duration.ofHours(1), 2);
        EngineState small = new EngineState(time, state.rateLimiter(), state.budgets(), history);
        PolicyEngine engine = new PolicyEngine(Policies.bundle(EXFILTRATION), small);
        for (String s : List.of("s1", "s2")) {
            assertThat(engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of("session", Map.of("id", s)))).action())
                    .isEqualTo(Action.ALLOW);
        }

        Decision third = engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of("session", Map.of("id", "s3"))));

        assertThat(third.action()).isEqualTo(Action.DENY);
        assertThat(third.reason()).contains("session history is full (state.max_sessions)");
        assertThat(history.timesFull()).isEqualTo(1);
        // the sessions kept still deny
        assertThat(engine.decide(new ToolCall("email.send_external", Map.of(), Map.of("session", Map.of("id", "s1")))).action())
                .isEqualTo(Action.DENY);
        // once their entries have expired, they make room
        time.advance(Duration.ofMinutes(61));
        assertThat(engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of("session", Map.of("id", "s3")))).action())
                .isEqualTo(Action.ALLOW);
    }

    @Test
    void aFullHistoryStillRunsCallsThatArmNothingWithoutRememberingThem() {
        InMemorySessionHistory history = new InMemorySessionHistory(Duration.ofHours(1), 1);
        EngineState small = new EngineState(time, state.rateLimiter(), state.budgets(), history);
        PolicyEngine engine = new PolicyEngine(Policies.bundle(EXFILTRATION), small);
        engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of("session", Map.of("id", "s1"))));

        Decision send = engine.decide(new ToolCall("email.send_external", Map.of(), Map.of("session", Map.of("id", "s2"))));

        assertThat(send.action()).isEqualTo(Action.ALLOW);
        assertThat(history.timesFull()).isZero();
        assertThat(history.anyAllowedSince("s2", t -> true, 0)).isFalse();
        assertThat(history.anyAllowedSince("s1", t -> true, 0)).isTrue();
    }

    @Test
    void anEntryIsKeptAsLongAsTheLongestWithinEvenPastTheSessionTtl() {
        InMemorySessionHistory history = new InMemorySessionHistory(Duration.ofHours(1), 1);
        EngineState small = new EngineState(time, state.rateLimiter(), state.budgets(), history);
        PolicyEngine engine = new PolicyEngine(Policies.bundle(EXFILTRATION.replace("within: session", "within: 1d")), small);
        engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of("session", Map.of("id", "s1"))));

        time.advance(Duration.ofHours(2));
        Decision other = engine.decide(new ToolCall("crm.read_account", Map.of(), Map.of("session", Map.of("id", "s2"))));

        assertThat(other.action()).isEqualTo(Action.DENY);
        assertThat(engine.decide(new ToolCall("email.send_external", Map.of(), Map.of("session", Map.of("id", "s1")))).action())
                .isEqualTo(Action.DENY);
    }
}
