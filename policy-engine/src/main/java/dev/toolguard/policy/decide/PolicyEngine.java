package dev.toolguard.policy.decide;

import dev.toolguard.policy.load.PolicyBundle;

import java.util.Map;

/**
 * Decides tool calls against one compiled bundle (SPEC §5). A pure function of the bundle, the call and
 * the state stores; thread-safe; never throws.
 */
public final class PolicyEngine {

    private final PolicyBundle bundle;

    public PolicyEngine(PolicyBundle bundle) {
        this.bundle = bundle;
    }

    public PolicyBundle bundle() {
        return bundle;
    }

    /** Runs the steps of SPEC §5 in order; the first that decides ends it. */
    public Decision decide(ToolCall call) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Whether a tool should be offered to the model in this context (SPEC §8): false only when steps 1–3
     * would deny it whatever the arguments.
     */
    public boolean discoverable(String tool, Map<String, Object> ctx) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
