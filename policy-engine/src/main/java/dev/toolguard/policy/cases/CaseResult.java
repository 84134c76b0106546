package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Decision;

import java.util.List;

/**
 * What running one case gave: the decision, and every way it differs from what the case expects.
 *
 * @param testCase   the case that ran
 * @param decision   the engine's decision (null only when the engine failed to decide)
 * @param mismatches one sentence per unmet expectation; empty when the case passed
 */
public record CaseResult(GoldenCase testCase, Decision decision, List<String> mismatches) {

    public CaseResult {
        mismatches = List.copyOf(mismatches);
    }

    public boolean passed() {
        return mismatches.isEmpty();
    }

    /**
     * One line for a failed case, e.g. {@code FAIL l1 may refund 150 (cases.yaml:3): expected allow, got deny
     * [tools.issue_refund.rules[3]] refund amount not allowed for your role}.
     */
    public String failureLine() {
        String got = decision == null
                ? "no decision"
                : decision.action().wireName() + " [" + decision.rule() + "] " + oneLine(decision.reason());
        return "FAIL " + testCase.name() + " (" + testCase.location() + "): "
                + String.join("; ", mismatches) + ", got " + got;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
    }
}
