package dev.toolguard.policy.state;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.7: what deciding charges stands only once the call's record is written. */
class PendingChargesTest {

    private static PolicyEngine engine(EngineState state) {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("p.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: p, version: "1"}
                tools:
                  issue_refund:
                    rate_limit: {limit: 1, per: 1h, key: ctx.user.id}
                    budget: {cost: args.amount, limit: 100, per: 1d, key: ctx.user.id}
                    action: allow
                  crm.read: {action: allow}
                  email.send: {action: allow}
                sequences:
                  - name: no-exfiltration
                    after: ["crm.*"]
                    deny: [email.send]
                    within: session
                """));
        assertThat(loaded.errors()).isEmpty();
        return new PolicyEngine(loaded.bundle(), state);
    }

    private static ToolCall call(String tool, double amount) {
        return new ToolCall(tool, Map.of("amount", amount),
                Map.of("user", Map.of("id", "u1"), "session", Map.of("id", "s1")));
    }

    private static Decision decideAndRelease(PolicyEngine engine, ToolCall call) {
        PendingCharges charges = PendingCharges.open();
        try {
            return engine.decide(call);
        } finally {
            charges.release();
        }
    }

    @Test
    void aCallWhoseRecordCouldNotBeWrittenGivesBackItsTokenAndItsBudget() {
        PolicyEngine engine = engine(EngineState.inMemory());

        assertThat(decideAndRelease(engine, call("issue_refund", 100)).action()).isEqualTo(Action.ALLOW);

        // the token and the whole budget are there again: the next call may spend both
        PendingCharges charges = PendingCharges.open();
        Decision next = engine.decide(call("issue_refund", 100));
        charges.commit();
        assertThat(next.action()).isEqualTo(Action.ALLOW);
        assertThat(engine.decide(call("issue_refund", 1)).rule()).isEqualTo("tools.issue_refund.rate_limit");
    }

    @Test
    void aCallWhoseRecordCouldNotBeWrittenLeavesNoHistoryForSequences() {
        PolicyEngine engine = engine(EngineState.inMemory());

        assertThat(decideAndRelease(engine, call("crm.read", 0)).action()).isEqualTo(Action.ALLOW);
        assertThat(engine.decide(call("email.send", 0)).action()).isEqualTo(Action.ALLOW);

        PendingCharges charges = PendingCharges.open();
        engine.decide(call("crm.read", 0));
        charges.commit();
        assertThat(engine.decide(call("email.send", 0)).rule()).isEqualTo("sequences.no-exfiltration");
    }

    @Test
    void withNoChargesOpenEverythingIsChargedAtOnceAsBefore() {
        PolicyEngine engine = engine(EngineState.inMemory());

        assertThat(engine.decide(call("issue_refund", 10)).action()).isEqualTo(Action.ALLOW);
        assertThat(engine.decide(call("issue_refund", 10)).rule()).isEqualTo("tools.issue_refund.rate_limit");
    }

    @Test
    void everyHistoryEntryOfACallIsWrittenOnCommitAndNoneOnRelease() {
        // the first entry is held in fields of its own, a second in the list: both count, in both directions
        InMemorySessionHistory history = new InMemorySessionHistory();
        long now = System.currentTimeMillis();
        PendingCharges released = PendingCharges.open();
        PendingCharges.allowed(history, "s1", "crm.read", now, now + 60_000);
        PendingCharges.allowed(history, "s1", "crm.write", now, now + 60_000);
        released.release();
        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("crm."), 0)).isFalse();

        PendingCharges committed = PendingCharges.open();
        PendingCharges.allowed(history, "s1", "crm.read", now, now + 60_000);
        PendingCharges.allowed(history, "s2", "crm.write", now, now + 60_000);
        committed.commit();
        assertThat(history.anyAllowedSince("s1", "crm.read"::equals, 0)).isTrue();
        assertThat(history.anyAllowedSince("s2", "crm.write"::equals, 0)).isTrue();

        // closed: the next call starts with nothing held, so a release then gives back nothing of these
        PendingCharges next = PendingCharges.open();
        next.release();
        assertThat(history.anyAllowedSince("s1", "crm.read"::equals, 0)).isTrue();
    }
}
