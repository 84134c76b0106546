package dev.toolguard.policy.decide;

import java.time.Duration;

/**
 * The {@code approval:} block of a rule whose action is {@code require_approval}.
 *
 * @param timeout   how long a request stays pending
 * @param onTimeout the action when nobody decides in time (allow or deny; default deny)
 * @param mode      wait (block the caller) or ticket (deny now, allow the first identical call after approval)
 */
public record ApprovalSpec(Duration timeout, Action onTimeout, Mode mode) {
    public enum Mode { WAIT, TICKET }

    public static final ApprovalSpec DEFAULT = new ApprovalSpec(Duration.ofMinutes(10), Action.DENY, Mode.WAIT);
}
