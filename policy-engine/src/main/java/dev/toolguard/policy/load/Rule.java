package dev.toolguard.policy.load;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.expr.Expression;

/**
 * One entry of a tool's {@code rules} (or the {@code action:} shorthand, which is rule 0).
 *
 * @param ruleId   {@code tools.<tool>.rules[i]}
 * @param when     the condition, or null for always
 * @param action   what it decides
 * @param reason   the text given to the caller, or null
 * @param approval for {@code require_approval}: how to wait; otherwise null
 */
public record Rule(String ruleId, Expression when, Action action, String reason, ApprovalSpec approval) {
}
