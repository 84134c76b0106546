package dev.toolguard.policy.approval;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Calls and decisions for approval tests. */
final class Approvals {
    static final String RULE = "tools.issue_refund.rules[2]";

    private Approvals() {
    }

    static Decision requireApproval(ApprovalSpec.Mode mode, Action onTimeout) {
        return new Decision(Action.REQUIRE_APPROVAL, true, "refunds over 2000 need a manager", RULE, null,
                "support-agent", "v1", "ab".repeat(32), 900, new ApprovalSpec(Duration.ofMinutes(10), onTimeout, mode),
                List.of());
    }

    static Decision waitFor() {
        return requireApproval(ApprovalSpec.Mode.WAIT, Action.DENY);
    }

    static Decision ticket() {
        return requireApproval(ApprovalSpec.Mode.TICKET, Action.DENY);
    }

    static ToolCall refund(Object amount, String user) {
        return new ToolCall("issue_refund", Map.of("customer_id", "c1", "amount", amount),
                Map.of("user", Map.of("id", user), "tenant", "acme"));
    }

    static ToolCall refund(Object amount) {
        return refund(amount, "u1");
    }
}
