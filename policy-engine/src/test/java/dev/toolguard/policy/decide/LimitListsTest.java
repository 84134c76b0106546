package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.PendingCharges;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.toolguard.policy.decide.LimitRacesTest.underRace;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §14 and §5 step 8: a {@code rate_limit} may be a list of entries with conditions and keys of their own, and
 * bundle-level {@code limits} count calls across every tool their globs match. Every applicable entry must have
 * room; each is charged once; a denial names the entry.
 */
class LimitListsTest {

    /** 60/min for every agent, and 20/min for background agents; 100/min per user across all tools. */
    static final String POLICY = """
            tools:
              read_file:
                action: allow
                rate_limit:
                  - {limit: 60, per: 1m, key: ctx.user.id}
                  - {limit: 20, per: 1m, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
              search: {action: allow}
              write_file: {action: allow}
            limits:
              - {tools: ["read_*", "search"], limit: 30, per: 1m, key: ctx.user.id}
            """;

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final EngineState state = EngineState.inMemory(time);

    private static ToolCall call(String tool, String user, String tier) {
        return new ToolCall(tool, Map.of(), Map.of("user", Map.of("id", user), "agent", Map.of("tier", tier)));
    }

    private static int allowedOf(PolicyEngine engine, ToolCall call, int times) {
        int allowed = 0;
        for (int i = 0; i < times; i++) {
            allowed += engine.decide(call).allowed() ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void aConditionalEntryLimitsOnlyTheCallsItsConditionHolds() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  read_file:
                    action: allow
                    rate_limit:
                      - {limit: 60, per: 1m, key: ctx.user.id}
                      - {limit: 20, per: 1m, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
                """), state);

        assertThat(allowedOf(engine, call("read_file", "bg", "background"), 100)).isEqualTo(20);
        assertThat(allowedOf(engine, call("read_file", "fg", "interactive"), 100)).isEqualTo(60);

        Decision background = engine.decide(call("read_file", "bg", "background"));
        assertThat(background.rule()).isEqualTo("tools.read_file.rate_limit[1]");
        assertThat(background.reason()).isEqualTo("rate limit reached: at most 20 calls per 1m");
        assertThat(engine.decide(call("read_file", "fg", "interactive")).rule())
                .isEqualTo("tools.read_file.rate_limit[0]");
    }

    @Test
    void theSameUserCountsOnceAgainstEveryEntryThatApplies() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  read_file:
                    action: allow
                    rate_limit:
                      - {limit: 60, per: 1m, key: ctx.user.id}
                      - {limit: 20, per: 1m, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
                """), state);

        // 20 background calls take a token from both entries: the user has 40 left of the 60 for interactive calls
        assertThat(allowedOf(engine, call("read_file", "u", "background"), 20)).isEqualTo(20);
        assertThat(allowedOf(engine, call("read_file", "u", "interactive"), 100)).isEqualTo(40);
    }

    @Test
    void aCallDeniedByOneEntryTakesNothingFromTheOthers() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  read_file:
                    action: allow
                    rate_limit:
                      - {limit: 60, per: 1m, key: ctx.user.id}
                      - {limit: 20, per: 1m, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
                """), state);

        // 100 background calls: 20 allowed; the 80 denied by entry [1] must not have spent entry [0]'s tokens
        assertThat(allowedOf(engine, call("read_file", "u", "background"), 100)).isEqualTo(20);
        assertThat(allowedOf(engine, call("read_file", "u", "interactive"), 100)).isEqualTo(40);
    }

    @Test
    void anErroringConditionAppliesItsEntry() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  read_file:
                    action: allow
                    rate_limit:
                      - {limit: 60, per: 1m, key: ctx.user.id}
                      - {limit: 20, per: 1m, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
                """), state);
        // no ctx.agent at all: the condition errors, and errors never widen (SPEC §4)
        ToolCall noTier = new ToolCall("read_file", Map.of(), Map.of("user", Map.of("id", "u")));

        Decision first = engine.decide(noTier);
        assertThat(first.allowed()).isTrue();
        assertThat(first.trace()).anySatisfy(step -> {
            assertThat(step.rule()).isEqualTo("tools.read_file.rate_limit[1]");
            assertThat(step.outcome()).isEqualTo("error");
            assertThat(step.detail()).contains("the limit applies");
        });
        assertThat(1 + allowedOf(engine, noTier, 100)).isEqualTo(20);
        assertThat(engine.decide(noTier).rule()).isEqualTo("tools.read_file.rate_limit[1]");
    }

    @Test
    void aBundleLimitCountsOneUserAcrossEveryToolItsGlobsMatch() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(POLICY), state);

        assertThat(allowedOf(engine, call("read_file", "u", "interactive"), 10)).isEqualTo(10);
        assertThat(allowedOf(engine, call("search", "u", "interactive"), 100)).isEqualTo(20);
        Decision denied = engine.decide(call("read_file", "u", "interactive"));
        assertThat(denied.rule()).isEqualTo("limits[0]");
        assertThat(denied.reason()).isEqualTo("rate limit reached: at most 30 calls per 1m");
        // a tool its globs do not match, and another user, are not counted against it
        assertThat(allowedOf(engine, call("write_file", "u", "interactive"), 50)).isEqualTo(50);
        assertThat(allowedOf(engine, call("search", "v", "interactive"), 100)).isEqualTo(30);
        // refilled at 30 per minute
        time.advance(Duration.ofMinutes(1));
        assertThat(allowedOf(engine, call("search", "u", "interactive"), 100)).isEqualTo(30);
    }

    @Test
    void aKeyThatCannotBeComputedDeniesNamingTheEntry() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(POLICY), state);

        Decision d = engine.decide(new ToolCall("search", Map.of(), Map.of()));

        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("limits[0]");
        assertThat(d.reason()).startsWith("the rate limit key could not be computed");
    }

    @Test
    void everyEntryIsGivenBackWhenTheRecordCannotBeWritten() {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("""
                tools:
                  read_file:
                    action: allow
                    rate_limit:
                      - {limit: 2, per: 1h, key: ctx.user.id}
                      - {limit: 1, per: 1h, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
                limits:
                  - {tools: ["*"], limit: 1, per: 1h, key: ctx.user.id}
                """), state);
        ToolCall call = call("read_file", "u", "background");

        PendingCharges released = PendingCharges.open();
        assertThat(engine.decide(call).allowed()).isTrue();
        released.release();

        PendingCharges committed = PendingCharges.open();
        assertThat(engine.decide(call).allowed()).isTrue();
        committed.commit();
        assertThat(engine.decide(call).rule()).isEqualTo("tools.read_file.rate_limit[1]");
    }

    @Test
    void tierConditionalLimitsAreExactUnderEightRacingThreads() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(POLICY.replace("limit: 30", "limit: 1000")), state);
        AtomicInteger n = new AtomicInteger();
        AtomicInteger background = new AtomicInteger();

        int allowed = underRace(8, 50, () -> {
            boolean bg = n.getAndIncrement() % 2 == 0;
            boolean ok = engine.decide(call("read_file", "u", bg ? "background" : "interactive")).allowed();
            if (ok && bg) {
                background.incrementAndGet();
            }
            return ok;
        });

        assertThat(background.get()).isEqualTo(20);
        assertThat(allowed).isEqualTo(60);
    }

    @Test
    void aCrossToolLimitIsExactUnderEightRacingThreads() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(POLICY), state);
        AtomicInteger n = new AtomicInteger();

        int allowed = underRace(8, 50, () -> engine.decide(
                call(n.getAndIncrement() % 2 == 0 ? "search" : "read_file", "u", "interactive")).allowed());

        assertThat(allowed).isEqualTo(30);
    }
}
