package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs cases against one bundle, each from empty state: no counters, and no session history but the
 * case's own {@code history}. The command line and the engine's own test suite both run cases through here.
 */
public final class CaseRunner {

    private final PolicyBundle bundle;

    public CaseRunner(PolicyBundle bundle) {
        this.bundle = Objects.requireNonNull(bundle, "bundle");
    }

    public CasesReport runAll(List<GoldenCase> cases) {
        List<CaseResult> results = new ArrayList<>(cases.size());
        for (GoldenCase c : cases) {
            results.add(run(c));
        }
        return new CasesReport(results);
    }

    public CaseResult run(GoldenCase c) {
        Decision decision;
        try {
            // with every step's trace: the decision is the same, and coverage reads which parts decided
            decision = explain(c.call(), c.history());
        } catch (RuntimeException e) {
            // The engine promises never to throw; if it does, the case fails loudly rather than the run.
            return new CaseResult(c, null, List.of("expected " + c.expect().wireName() + " but the engine threw " + e));
        }
        return new CaseResult(c, decision, mismatches(c, decision));
    }

    /**
     * Decides one call from empty state, with {@code history} (oldest first) as the tools allowed earlier
     * in the call's session. A fresh engine per call, so no counter or history leaks between calls.
     */
    public Decision decide(ToolCall call, List<String> history) {
        return engineWith(call, history).decide(call);
    }

    /** As {@link #decide}, with the trace of every step that ran; for {@code explain}. */
    public Decision explain(ToolCall call, List<String> history) {
        return engineWith(call, history).explain(call);
    }

    private PolicyEngine engineWith(ToolCall call, List<String> history) {
        EngineState state = EngineState.inMemory();
        String session = PolicyEngine.sessionKey(call.ctx());
        if (session != null && history != null) {
            // Earlier calls happened "just now": a sequence with a `within` window sees them as recent.
            long now = state.time().epochMillis();
            for (String tool : history) {
                state.history().recordAllowed(session, tool, now, Long.MAX_VALUE);
            }
        }
        return new PolicyEngine(bundle, state);
    }

    static List<String> mismatches(GoldenCase c, Decision d) {
        List<String> problems = new ArrayList<>();
        if (d.action() != c.expect()) {
            problems.add("expected " + c.expect().wireName());
        }
        if (c.rule() != null && !c.rule().equals(d.rule())) {
            problems.add("expected rule " + c.rule());
        }
        if (c.reasonContains() != null && (d.reason() == null || !d.reason().contains(c.reasonContains()))) {
            problems.add("expected reason containing \"" + c.reasonContains() + "\"");
        }
        return problems;
    }
}
