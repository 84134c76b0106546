package dev.toolguard.policy.approval;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;

/**
 * Step 8 of SPEC §5 for a call an approver let through: the rate limit and budget must still have room, and
 * are charged exactly once, now. The engine provides this; approvals never charge counters themselves.
 */
@FunctionalInterface
public interface ApprovedCallAdmission {

    /**
     * @param call     the approved call
     * @param approved the decision to enforce if the limits agree (action allow)
     * @return {@code approved}, or a denial naming the limit that had no room
     */
    Decision admit(ToolCall call, Decision approved);

    /** For bundles without limits, and for tests: every approved call is admitted. */
    ApprovedCallAdmission NO_LIMITS = (call, approved) -> approved;
}
