package dev.toolguard.agent.runtime;

import dev.toolguard.policy.decide.PolicyEngine;

import java.util.Map;

/**
 * A guarded call whose body is running: what an egress made inside it is checked against (SPEC §18). The engine is
 * the one that decided the call, so that one bundle version decides the call and everything its body does.
 *
 * @param callId the id of its decision record, which its egress records carry
 * @param tool   its tool
 * @param ctx    its context (its session key arms and checks sequences over egress events)
 */
public record RunningCall(String callId, String tool, Map<String, Object> ctx, PolicyEngine engine) {
}
