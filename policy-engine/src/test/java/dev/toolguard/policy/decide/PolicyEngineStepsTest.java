package dev.toolguard.policy.decide;

import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.RateLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.decide.Policies.HEADER;
import static org.assertj.core.api.Assertions.assertThat;

/** The steps of SPEC §5 that need no expressions, one behaviour per test. */
class PolicyEngineStepsTest {

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final EngineState state = EngineState.inMemory(time);

    private PolicyEngine engine(String body) {
        return new PolicyEngine(Policies.bundle(body), state);
    }

    private static ToolCall call(String tool, Map<String, Object> args, Map<String, Object> ctx) {
        return new ToolCall(tool, args, ctx);
    }

    private static ToolCall call(String tool) {
        return new ToolCall(tool, Map.of(), Map.of("session", Map.of("id", "s1")));
    }

    @Test
    void forbidByToolGlobDeniesWithItsIndexAcrossFiles() {
        PolicyBundle bundle = Policies.files(
                "a.yaml", HEADER + "metadata: {name: test}\nforbid:\n  - tools: [x]\n  - tools: [y]\ntools:\n  crm.delete_contact: {action: allow}\n",
                "b.yaml", HEADER + "forbid:\n  - tools: [\"*.delete*\", drop_table]\n    reason: destructive operations are not available to agents\n");

        Decision d = new PolicyEngine(bundle, state).decide(call("crm.delete_contact"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("forbid[2]");
        assertThat(d.reason()).isEqualTo("destructive operations are not available to agents");
        assertThat(d.enforced()).isTrue();
    }

    @Test
    void forbidEntriesAreLookedUpByToolInBundleOrderAlsoPastTheKeptTools() {
        // forbid[0] applies to every tool, forbid[1] to crm.* only, forbid[2] to another tool, forbid[3] to crm.* again
        PolicyBundle bundle = Policies.bundle("forbid:\n  - when: has(ctx.user.suspended) && ctx.user.suspended\n"
                + "  - tools: [\"crm.*\"]\n    when: args.n > 10\n  - tools: [other]\n  - tools: [\"crm.*\", x]\n"
                + "    when: args.n > 5\ndefault: allow\n");
        dev.toolguard.policy.load.CompiledBundle compiled = (dev.toolguard.policy.load.CompiledBundle) bundle;
        assertThat(compiled.forbidsFor("crm.read").stream().map(f -> f.ruleId()))
                .containsExactly("forbid[0]", "forbid[1]", "forbid[3]");
        assertThat(compiled.forbidsFor("other").stream().map(f -> f.ruleId())).containsExactly("forbid[0]", "forbid[2]");
        PolicyEngine engine = new PolicyEngine(bundle, state);
        Map<String, Object> user = Map.of("user", Map.of("id", "u-1", "suspended", false));

        // more tool names than the index keeps: each is still checked against exactly its entries
        for (int i = 0; i < 4200; i++) {
            engine.decide(call("crm.t" + i, Map.of("n", 1), user));
        }
        assertThat(engine.decide(call("crm.t4199", Map.of("n", 7), user)).rule()).isEqualTo("forbid[3]");
        assertThat(engine.decide(call("crm.t4199", Map.of("n", 11), user)).rule()).isEqualTo("forbid[1]");
        assertThat(engine.decide(call("crm.t7", Map.of("n", 11), user)).rule()).isEqualTo("forbid[1]");
        assertThat(engine.decide(call("other", Map.of("n", 11), user)).rule()).isEqualTo("forbid[2]");
        assertThat(engine.decide(call("unrelated", Map.of("n", 11), user)).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void forbidOverridesAnAllowingTool() {
        Decision d = engine("forbid:\n  - tools: [drop_table]\ntools:\n  drop_table: {action: allow}\n").decide(call("drop_table"));

        assertThat(d.rule()).isEqualTo("forbid[0]");
        assertThat(d.action()).isEqualTo(Action.DENY);
    }

    @Test
    void unknownToolGetsTheDefaultDeny() {
        Decision d = engine("tools:\n  known: {action: allow}\n").decide(call("unknown"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("default");
        assertThat(d.reason()).contains("no policy names tool 'unknown'");
    }

    @Test
    void unknownToolGetsTheDefaultAllowWhenTheBundleSaysSo() {
        Decision d = engine("default: allow\n").decide(call("anything"));

        assertThat(d.action()).isEqualTo(Action.ALLOW);
        assertThat(d.rule()).isEqualTo("default");
    }

    @Test
    void roleThatGrantsTheToolLetsItThrough() {
        PolicyEngine engine = engine("roles:\n  support_l1: [\"crm.read*\"]\ntools:\n  crm.read_contact: {action: allow}\n");

        Decision d = engine.decide(call("crm.read_contact", Map.of(), Map.of("user", Map.of("roles", List.of("support_l1")))));

        assertThat(d.action()).isEqualTo(Action.ALLOW);
        assertThat(d.rule()).isEqualTo("tools.crm.read_contact.rules[0]");
    }

    @Test
    void noRoleGrantingTheToolDenies() {
        PolicyEngine engine = engine("roles:\n  support_l1: [\"crm.read*\"]\ntools:\n  issue_refund: {action: allow}\n");

        Decision d = engine.decide(call("issue_refund", Map.of(), Map.of("user", Map.of("roles", List.of("support_l1")))));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("roles");
        assertThat(d.reason()).isEqualTo("no role of the caller grants tool 'issue_refund'");
    }

    @Test
    void callerWithoutRolesIsDeniedWhenTheBundleHasRoles() {
        PolicyEngine engine = engine("roles:\n  manager: [\"*\"]\ntools:\n  t: {action: allow}\n");

        Decision d = engine.decide(call("t"));

        assertThat(d.rule()).isEqualTo("roles");
        assertThat(d.action()).isEqualTo(Action.DENY);
    }

    @Test
    void agentScopesNarrowerThanTheUsersRolesDeny() {
        PolicyEngine engine = engine("roles:\n  manager: [\"crm.*\", \"email.*\"]\ntools:\n  email.send: {action: allow}\n");

        Decision d = engine.decide(call("email.send", Map.of(), Map.of(
                "user", Map.of("roles", List.of("manager")), "agent", Map.of("scopes", List.of("crm.*")))));

        assertThat(d.rule()).isEqualTo("roles");
        assertThat(d.reason()).isEqualTo("the agent's scopes do not include tool 'email.send'");
    }

    @Test
    void agentScopesThatGrantTheToolLetItThrough() {
        PolicyEngine engine = engine("roles:\n  manager: [\"crm.*\", \"email.*\"]\ntools:\n  email.send: {action: allow}\n");

        Decision d = engine.decide(call("email.send", Map.of(), Map.of(
                "user", Map.of("roles", List.of("manager")), "agent", Map.of("scopes", List.of("email.*")))));

        assertThat(d.action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void agentScopesApplyEvenWithoutRoles() {
        PolicyEngine engine = engine("tools:\n  email.send: {action: allow}\n");

        Decision d = engine.decide(call("email.send", Map.of(), Map.of("agent", Map.of("scopes", List.of("crm.*")))));

        assertThat(d.rule()).isEqualTo("roles");
    }

    @Test
    void argumentsThatFailTheSchemaAreDeniedNamingTheField() {
        PolicyEngine engine = engine("tools:\n  issue_refund:\n    action: allow\n    arguments:\n      type: object\n"
                + "      properties: {amount: {type: number, maximum: 5000}}\n");

        Decision d = engine.decide(call("issue_refund", Map.of("amount", "lots"), Map.of()));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.issue_refund.arguments");
        assertThat(d.field()).isEqualTo("/amount");
        assertThat(d.reason()).isEqualTo("argument /amount is not valid: string found, number expected");
    }

    @Test
    void argumentsThatMatchTheSchemaPass() {
        PolicyEngine engine = engine("tools:\n  issue_refund:\n    action: allow\n    arguments:\n      type: object\n"
                + "      properties: {amount: {type: number, maximum: 5000}}\n");

        Decision d = engine.decide(call("issue_refund", Map.of("amount", 150.5), Map.of()));

        assertThat(d.action()).isEqualTo(Action.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@acme.example", "bob@example.com", "x.y+tag@sub.domain.test", "ops@[192.0.2.1]"})
    void emailFormatAcceptsEveryRfc5321MailboxIncludingReservedDomains(String email) {
        PolicyEngine engine = engine(EMAIL_TOOL);

        assertThat(engine.decide(call("reset_password", Map.of("email", email), Map.of())).action()).isEqualTo(Action.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-an-email", "a@", "@example.com", "a b@example.com", "a@-bad-.example", "a@b..c"})
    void emailFormatIsAssertedNotJustAnnotated(String email) {
        PolicyEngine engine = engine(EMAIL_TOOL);

        Decision d = engine.decide(call("reset_password", Map.of("email", email), Map.of()));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.reset_password.arguments");
        assertThat(d.field()).isEqualTo("/email");
    }

    private static final String EMAIL_TOOL = "tools:\n  reset_password:\n    action: allow\n    arguments:\n"
            + "      type: object\n      properties: {email: {type: string, format: email}}\n";

    @Test
    void sequenceDeniesAfterAnAllowedCallInTheSameSession() {
        PolicyEngine engine = engine("tools:\n  crm.read_contact: {action: allow}\n  email.send_external: {action: allow}\n"
                + "sequences:\n  - name: no-crm-exfiltration\n    after: [\"crm.read*\"]\n    deny: [email.send_external]\n"
                + "    within: session\n    reason: CRM data may not leave the company by email\n");
        engine.decide(call("crm.read_contact"));

        Decision d = engine.decide(call("email.send_external"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("sequences.no-crm-exfiltration");
        assertThat(d.reason()).isEqualTo("CRM data may not leave the company by email");
    }

    @Test
    void sequenceDoesNotReachIntoAnotherSession() {
        PolicyEngine engine = engine("tools:\n  crm.read_contact: {action: allow}\n  email.send_external: {action: allow}\n"
                + "sequences:\n  - {name: s, after: [\"crm.read*\"], deny: [email.send_external]}\n");
        engine.decide(call("crm.read_contact"));

        Decision d = engine.decide(call("email.send_external", Map.of(), Map.of("session", Map.of("id", "s2"))));

        assertThat(d.action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void sequenceFallsBackToTheUserIdAsSession() {
        PolicyEngine engine = engine("tools:\n  a: {action: allow}\n  b: {action: allow}\n"
                + "sequences:\n  - {name: s, after: [a], deny: [b]}\n");
        Map<String, Object> ctx = Map.of("user", Map.of("id", "u1"));
        engine.decide(call("a", Map.of(), ctx));

        assertThat(engine.decide(call("b", Map.of(), ctx)).rule()).isEqualTo("sequences.s");
    }

    @Test
    void sequenceWithADurationForgetsCallsOlderThanIt() {
        PolicyEngine engine = engine("tools:\n  a: {action: allow}\n  b: {action: allow}\n"
                + "sequences:\n  - {name: s, after: [a], deny: [b], within: 10m}\n");
        engine.decide(call("a"));
        time.advance(Duration.ofMinutes(9));
        assertThat(engine.decide(call("b")).rule()).isEqualTo("sequences.s");

        time.advance(Duration.ofMinutes(2));

        assertThat(engine.decide(call("b")).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void deniedCallsDoNotArmASequence() {
        PolicyEngine engine = engine("tools:\n  a: {action: deny}\n  b: {action: allow}\n"
                + "sequences:\n  - {name: s, after: [a], deny: [b]}\n");
        engine.decide(call("a"));

        assertThat(engine.decide(call("b")).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void actionShorthandIsRuleZero() {
        Decision d = engine("tools:\n  delete_database:\n    action: deny\n    reason: Destructive operations not permitted\n")
                .decide(call("delete_database"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.delete_database.rules[0]");
        assertThat(d.reason()).isEqualTo("Destructive operations not permitted");
    }

    @Test
    void toolWithoutActionOrRulesDeniesEveryCall() {
        Decision d = engine("tools:\n  t:\n    description: nothing allowed yet\n").decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.t.rules");
    }

    @Test
    void requireApprovalCarriesTheApprovalBlock() {
        Decision d = engine("tools:\n  t:\n    action: require_approval\n    approval: {timeout: 10m, mode: ticket}\n")
                .decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.REQUIRE_APPROVAL);
        assertThat(d.rule()).isEqualTo("tools.t.rules[0]");
        assertThat(d.approval()).isEqualTo(new ApprovalSpec(Duration.ofMinutes(10), Action.DENY, ApprovalSpec.Mode.TICKET));
    }

    @Test
    void rateLimitDeniesPastItsTokens() {
        PolicyEngine engine = engine("tools:\n  t:\n    action: allow\n    rate_limit: {limit: 2, per: 1h}\n");
        engine.decide(call("t"));
        engine.decide(call("t"));

        Decision d = engine.decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.t.rate_limit");
        assertThat(d.reason()).isEqualTo("rate limit reached: at most 2 calls per 1h");
    }

    @Test
    void rateLimitRefillsOverTime() {
        PolicyEngine engine = engine("tools:\n  t:\n    action: allow\n    rate_limit: {limit: 2, per: 1h}\n");
        engine.decide(call("t"));
        engine.decide(call("t"));

        time.advance(Duration.ofMinutes(30));

        assertThat(engine.decide(call("t")).action()).isEqualTo(Action.ALLOW);
        assertThat(engine.decide(call("t")).action()).isEqualTo(Action.DENY);
    }

    @Test
    void requireApprovalChargesNothingUntilApproved() {
        PolicyEngine engine = engine("tools:\n  t:\n    action: require_approval\n    rate_limit: {limit: 1, per: 1h}\n");
        Decision pending = engine.decide(call("t"));
        engine.decide(call("t"));

        Decision first = engine.admitApproved(call("t"), pending);
        Decision second = engine.admitApproved(call("t"), pending);

        assertThat(first.action()).isEqualTo(Action.ALLOW);
        assertThat(first.rule()).isEqualTo("tools.t.rules[0]");
        assertThat(second.action()).isEqualTo(Action.DENY);
        assertThat(second.rule()).isEqualTo("tools.t.rate_limit");
    }

    @Test
    void approvedCallArmsSequences() {
        PolicyEngine engine = engine("tools:\n  a: {action: require_approval}\n  b: {action: allow}\n"
                + "sequences:\n  - {name: s, after: [a], deny: [b]}\n");
        Decision pending = engine.decide(call("a"));
        assertThat(engine.decide(call("b")).action()).isEqualTo(Action.ALLOW);

        engine.admitApproved(call("a"), pending);

        assertThat(engine.decide(call("b")).rule()).isEqualTo("sequences.s");
    }

    @Test
    void stateSurvivesABundleReload() {
        String body = "tools:\n  t:\n    action: allow\n    rate_limit: {limit: 1, per: 1h}\n";
        new PolicyEngine(Policies.bundle(body), state).decide(call("t"));

        PolicyEngine reloaded = new PolicyEngine(Policies.bundle(body + "# v2\n"), state);

        assertThat(reloaded.decide(call("t")).rule()).isEqualTo("tools.t.rate_limit");
    }

    @Test
    void noPolicyDeniesEverything() {
        Decision d = PolicyEngine.noPolicy().decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("no_policy");
        assertThat(d.reason()).isEqualTo("no policy loaded");
        assertThat(d.enforced()).isTrue();
    }

    @Test
    void unexpectedFailureIsAnOnErrorDenial() {
        RateLimiter broken = new RateLimiter() {
            @Override
            public boolean tryAcquire(String bucket, long limit, Duration per) {
                throw new IllegalStateException("store unreachable");
            }

            @Override
            public void release(String bucket, long limit, Duration per) {
            }
        };
        EngineState brokenState = new EngineState(time, broken, state.budgets(), state.history());
        PolicyEngine engine = new PolicyEngine(Policies.bundle("tools:\n  t:\n    action: allow\n"
                + "    rate_limit: {limit: 1, per: 1h}\n"), brokenState);

        Decision d = engine.decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("on_error");
        assertThat(d.reason()).contains("store unreachable");
    }

    @Test
    void shadowFileDecisionsAreNotEnforced() {
        PolicyBundle bundle = Policies.files("a.yaml", HEADER + "mode: shadow\ntools:\n  t: {action: deny}\n");

        Decision d = new PolicyEngine(bundle, state).decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.enforced()).isFalse();
        assertThat(d.blocks()).isFalse();
    }

    @Test
    void shadowForbidDoesNotLiftAnEnforcedDenial() {
        PolicyBundle bundle = Policies.files(
                "a.yaml", HEADER + "tools:\n  t: {action: deny, reason: never}\n",
                "b.yaml", HEADER + "mode: shadow\nforbid:\n  - tools: [t]\n");

        Decision d = new PolicyEngine(bundle, state).decide(call("t"));

        assertThat(d.rule()).isEqualTo("tools.t.rules[0]");
        assertThat(d.enforced()).isTrue();
    }

    @Test
    void shadowForbidIsReportedWhenTheEnforcedStepsAllow() {
        PolicyBundle bundle = Policies.files(
                "a.yaml", HEADER + "tools:\n  t: {action: allow}\n",
                "b.yaml", HEADER + "mode: shadow\nforbid:\n  - tools: [t]\n    reason: rolling out\n");

        Decision d = new PolicyEngine(bundle, state).decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("forbid[0]");
        assertThat(d.enforced()).isFalse();
    }

    @Test
    void enforcedSequenceIsEnforcedOnAShadowTool() {
        PolicyBundle bundle = Policies.files(
                "a.yaml", HEADER + "tools:\n  a: {action: allow}\nsequences:\n  - {name: s, after: [a], deny: [b]}\n",
                "b.yaml", HEADER + "mode: shadow\ntools:\n  b: {action: allow}\n");
        PolicyEngine engine = new PolicyEngine(bundle, state);
        engine.decide(call("a"));

        Decision d = engine.decide(call("b"));

        assertThat(d.rule()).isEqualTo("sequences.s");
        assertThat(d.enforced()).isTrue();
    }

    @Test
    void forcedShadowEnforcesNothing() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("forbid:\n  - tools: [t]\n"), state, true);

        Decision d = engine.decide(call("t"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.enforced()).isFalse();
    }

    @Test
    void decisionCarriesTheBundleAndItsLatency() {
        PolicyBundle bundle = Policies.bundle("tools:\n  t: {action: allow}\n");

        Decision d = new PolicyEngine(bundle, state).decide(call("t"));

        assertThat(d.policyName()).isEqualTo("test");
        assertThat(d.policyVersion()).isEqualTo("v1");
        assertThat(d.policySha256()).isEqualTo(bundle.sha256()).hasSize(64);
        assertThat(d.latencyNanos()).isPositive();
    }

    @Test
    void decideKeepsNoTraceWithoutErrorsButExplainKeepsEveryStep() {
        PolicyEngine engine = engine("forbid:\n  - tools: [x]\ntools:\n  t: {action: allow}\n");

        Decision quiet = engine.decide(call("t"));
        Decision explained = engine.explain(call("t"));

        assertThat(quiet.trace()).isEmpty();
        assertThat(explained.trace()).extracting(TraceStep::step).containsExactly("known_tool", "roles", "rules");
    }

    @Test
    void discoverableHidesToolsTheCallerMayNeverCall() {
        PolicyEngine engine = engine("roles:\n  l1: [a]\nforbid:\n  - tools: [f]\ntools:\n  a: {action: allow}\n"
                + "  b: {action: allow}\n  f: {action: allow}\n");
        Map<String, Object> ctx = Map.of("user", Map.of("roles", List.of("l1")));

        assertThat(engine.discoverable("a", ctx)).isTrue();
        assertThat(engine.discoverable("b", ctx)).isFalse();
        assertThat(engine.discoverable("f", ctx)).isFalse();
        assertThat(engine.discoverable("unknown", ctx)).isFalse();
    }

    @Test
    void noPolicyHidesEveryTool() {
        assertThat(PolicyEngine.noPolicy().discoverable("t", Map.of())).isFalse();
    }
}
