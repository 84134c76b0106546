package dev.toolguard.policy.replay;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ToolCall;

import java.time.Instant;

/**
 * One {@code decision} record of an audit log, as replay reads it.
 *
 * @param place    {@code file:line}
 * @param time     the recorded {@code ts}
 * @param call     the tool, arguments and context as recorded, hidden values watched ({@link RecordedValues})
 * @param user     {@code ctx.user.id} as recorded, or null
 * @param action   the recorded action; {@code require_approval} for a call that went to a person, whatever the person
 *                 answered (replay does not resolve approvals)
 * @param rule     the recorded rule id (null when none)
 * @param reason   the recorded reason (redacted as the log holds it)
 * @param approval what became of the approval, for a call that went to one ({@code approved by alice ...}), else null
 */
public record RecordedCall(String place, Instant time, ToolCall call, String user, Action action, String rule,
                           String reason, String approval) {
}
