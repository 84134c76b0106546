package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.BundleLoader;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.9 from the Java argument on: a BigDecimal is not rounded on its way to the policy. */
class ExactDecimalArgumentsTest {

    private final PlainValueArgumentReader reader = new PlainValueArgumentReader();
    private final ToolMethod refund = new ToolMethod("issue_refund", "C", "m", "C#m(BigDecimal)", List.of("amount"),
            "guarded-tool");

    private Object read(BigDecimal amount) {
        ArgumentReader.Result r = reader.read(refund, new Object[]{amount});
        assertThat(r.ok()).isTrue();
        return r.args().get("amount");
    }

    @Test
    void aDecimalThatNoDoubleHoldsStaysExact() {
        assertThat(read(new BigDecimal("200.0000000000000001"))).isEqualTo(new BigDecimal("200.0000000000000001"));
    }

    @Test
    void aDecimalThatIsADoubleBecomesThatDoubleAsBefore() {
        assertThat(read(new BigDecimal("12.50"))).isEqualTo(12.5);
    }

    @Test
    void theEngineDeniesADecimalJustOverTheBound() {
        PolicyEngine engine = new PolicyEngine(BundleLoader.loadTexts(Map.of("p.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: refunds}
                tools:
                  issue_refund:
                    rules:
                      - when: args.amount <= 200
                        action: allow
                """)).bundle());

        ArgumentReader.Result over = reader.read(refund, new Object[]{new BigDecimal("200.0000000000000001")});
        ArgumentReader.Result at = reader.read(refund, new Object[]{new BigDecimal("200.00")});

        assertThat(engine.decide(new ToolCall("issue_refund", over.args(), Map.of())).action()).isEqualTo(Action.DENY);
        assertThat(engine.decide(new ToolCall("issue_refund", at.args(), Map.of())).action()).isEqualTo(Action.ALLOW);
    }
}
