package dev.toolguard.policy.decide;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the engine keeps per thread and uses again call after call (the decision's trace, the call-shape check) never
 * carries anything from one decision to the next: not after a call that failed midway, not into a decision that starts
 * inside another on the same thread.
 */
class ReusedPerThreadTest {

    private final PolicyEngine engine = new PolicyEngine(Policies.bundle("""
            default: deny
            tools:
              refund:
                rules:
                  - when: args.amount <= 200
                    action: allow
                  - action: deny
                    reason: too much
              broken:
                rules:
                  - when: args.missing.deeper > 1
                    action: allow
                  - action: allow
              mixed:
                rules:
                  - when: args.missing.deeper > 1
                    action: allow
                  - when: args.amount <= 200
                    action: allow
            """));

    @Test
    void aDecisionAfterOneWithAnErrorHasNoErrorInItsTrace() {
        Decision errored = engine.decide(new ToolCall("broken", Map.of(), Map.of()));
        Decision clean = engine.decide(new ToolCall("refund", Map.of("amount", 150.0), Map.of()));

        assertThat(errored.trace()).anyMatch(s -> "error".equals(s.outcome()));
        assertThat(clean.action()).isEqualTo(Action.ALLOW);
        assertThat(clean.trace()).isEmpty();
    }

    @Test
    void aDecisionAfterABadCallIsDecidedOnItsOwnValues() {
        Decision bad = engine.decide(new ToolCall("refund", Map.of("amount", Double.NaN), Map.of()));
        Decision good = engine.decide(new ToolCall("refund", Map.of("amount", 150.0), Map.of()));
        Decision badAgain = engine.decide(new ToolCall("refund", Map.of("nested", Map.of("x", Double.NaN)), Map.of()));

        assertThat(bad.action()).isEqualTo(Action.DENY);
        assertThat(bad.reason()).contains("args.amount").contains("NaN");
        assertThat(good.action()).isEqualTo(Action.ALLOW);
        // the path of the first bad value is not left in the shape for the next
        assertThat(badAgain.reason()).contains("args.nested.x").doesNotContain("amount");
    }

    @Test
    void aDecisionInsideTheCallShapeCheckOfAnotherLeavesBothExact() {
        Decision[] inner = new Decision[1];
        Map<String, Object> args = new CallingBack(Map.of("amount", 150.0), () ->
                inner[0] = engine.decide(new ToolCall("refund", Map.of("amount", Double.NaN), Map.of())));

        Decision outer = engine.decide(new ToolCall("refund", args, Map.of()));

        assertThat(inner[0].action()).isEqualTo(Action.DENY);
        assertThat(inner[0].reason()).contains("args.amount").contains("NaN");
        assertThat(outer.action()).isEqualTo(Action.ALLOW);
        assertThat(outer.trace()).isEmpty();
    }

    @Test
    void aDecisionInsideTheConditionsOfAnotherLeavesBothExact() {
        Decision[] inner = new Decision[1];
        Map<String, Object> args = new HashMap<>(Map.of("amount", 150.0)) {
            @Override
            public Object get(Object key) {
                if ("amount".equals(key) && inner[0] == null) {
                    // the outer decision has met its own error by now (an allow whose condition fails does not
                    // apply); the inner one meets another
                    inner[0] = engine.decide(new ToolCall("broken", Map.of(), Map.of()));
                }
                return super.get(key);
            }
        };

        Decision outer = engine.decide(new ToolCall("mixed", args, Map.of()));
        Decision next = engine.decide(new ToolCall("refund", Map.of("amount", 500.0), Map.of()));

        assertThat(inner[0].action()).isEqualTo(Action.ALLOW);
        assertThat(inner[0].trace()).hasSize(1).allMatch(s -> "error".equals(s.outcome()));
        assertThat(outer.action()).isEqualTo(Action.ALLOW);
        assertThat(outer.rule()).isEqualTo("tools.mixed.rules[1]");
        assertThat(outer.trace()).hasSize(1).allMatch(s -> s.rule().startsWith("tools.mixed"));
        assertThat(next.action()).isEqualTo(Action.DENY);
        assertThat(next.reason()).isEqualTo("too much");
        assertThat(next.trace()).isEmpty();
    }

    @Test
    void aDecisionAfterOneThatFailedMidwayIsExact() {
        Map<String, Object> failing = new HashMap<>(Map.of("amount", 150.0)) {
            @Override
            public void forEach(BiConsumer<? super String, ? super Object> action) {
                action.accept("amount", 150.0);
                throw new IllegalStateException("a collection that breaks while it is walked");
            }
        };

        Decision failed = engine.decide(new ToolCall("mixed", failing, Map.of()));
        Decision next = engine.decide(new ToolCall("mixed", Map.of("amount", 150.0), Map.of()));

        assertThat(failed.action()).isEqualTo(Action.DENY);
        assertThat(failed.origin()).isEqualTo(Decision.Origin.INTERNAL_ERROR);
        assertThat(next.action()).isEqualTo(Action.ALLOW);
        assertThat(next.rule()).isEqualTo("tools.mixed.rules[1]");
        assertThat(next.trace()).hasSize(1); // its own failed condition, nothing of the call before
    }

    /** A map that runs something the first time it is walked, then walks like the map it copies. */
    private static final class CallingBack extends HashMap<String, Object> {
        private Runnable first;

        CallingBack(Map<String, Object> values, Runnable first) {
            super(values);
            this.first = first;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super Object> action) {
            Runnable r = first;
            first = null;
            if (r != null) {
                r.run();
            }
            super.forEach(action);
        }
    }
}
