package dev.toolguard.policy.decide;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.9 through the engine: a BigDecimal just over a bound does not pass as the bound. */
class ExactDecimalDecisionTest {

    private final PolicyEngine engine = new PolicyEngine(Policies.bundle("""
            tools:
              issue_refund:
                rules:
                  - when: args.amount <= 200
                    action: allow
                  - action: deny
                    reason: refund amount not allowed for your role
              set_limit:
                lock:
                  limit: '200'
                action: allow
            """));

    private Decision refund(Object amount) {
        return engine.decide(new ToolCall("issue_refund", Map.of("amount", amount), Map.of()));
    }

    @Test
    void aBigDecimalJustOver200IsDenied() {
        Decision d = refund(new BigDecimal("200.0000000000000001"));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).isEqualTo("refund amount not allowed for your role");
    }

    @Test
    void aBigDecimalOf200IsAllowedAsBefore() {
        assertThat(refund(new BigDecimal("200.000")).action()).isEqualTo(Action.ALLOW);
        assertThat(refund(200).action()).isEqualTo(Action.ALLOW);
        assertThat(refund(199.5).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aLockComparesABigDecimalExactly() {
        Decision over = engine.decide(new ToolCall("set_limit", Map.of("limit", new BigDecimal("200.0000000000000001")),
                Map.of()));
        Decision equal = engine.decide(new ToolCall("set_limit", Map.of("limit", new BigDecimal("200.0")), Map.of()));

        assertThat(over.action()).isEqualTo(Action.DENY);
        assertThat(equal.action()).isEqualTo(Action.ALLOW);
    }
}
