package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CaseResultTest {

    private static GoldenCase expecting(Action expect, String rule, String reasonContains) {
        return new GoldenCase("l1 may refund 150", "issue_refund", Map.of("amount", 150L), Map.of(), List.of(),
                expect, rule, reasonContains, "cases.yaml", 3);
    }

    private static Decision decided(Action action, String rule, String reason) {
        return new Decision(action, true, reason, rule, null, "support-agent", "1", "abc", 10, null, List.of());
    }

    @Test
    void aDecisionMatchingActionRuleAndReasonPasses() {
        GoldenCase c = expecting(Action.DENY, "tools.issue_refund.rules[3]", "not allowed");

        assertThat(CaseRunner.mismatches(c, decided(Action.DENY, "tools.issue_refund.rules[3]", "refund amount not allowed for your role")))
                .isEmpty();
    }

    @Test
    void anotherActionIsAMismatch() {
        GoldenCase c = expecting(Action.ALLOW, null, null);

        assertThat(CaseRunner.mismatches(c, decided(Action.DENY, "default", "no policy names this tool")))
                .containsExactly("expected allow");
    }

    @Test
    void anotherRuleIsAMismatchEvenWithTheRightAction() {
        GoldenCase c = expecting(Action.DENY, "tools.issue_refund.rules[3]", null);

        assertThat(CaseRunner.mismatches(c, decided(Action.DENY, "roles", "no role grants this tool")))
                .containsExactly("expected rule tools.issue_refund.rules[3]");
    }

    @Test
    void aReasonWithoutTheExpectedTextIsAMismatch() {
        GoldenCase c = expecting(Action.DENY, null, "for your role");

        assertThat(CaseRunner.mismatches(c, decided(Action.DENY, "roles", "no role grants this tool")))
                .containsExactly("expected reason containing \"for your role\"");
    }

    @Test
    void anEmptyExpectedReasonMatchesAnyReason() {
        GoldenCase c = expecting(Action.ALLOW, null, "");

        assertThat(CaseRunner.mismatches(c, decided(Action.ALLOW, "tools.issue_refund.rules[0]", "allowed"))).isEmpty();
    }

    @Test
    void aFailureLineNamesTheCaseWhatWasExpectedAndWhatCame() {
        GoldenCase c = expecting(Action.ALLOW, "tools.issue_refund.rules[0]", null);
        Decision d = decided(Action.DENY, "tools.issue_refund.rules[3]", "refund amount not allowed for your role");

        CaseResult result = new CaseResult(c, d, CaseRunner.mismatches(c, d));

        assertThat(result.passed()).isFalse();
        assertThat(result.failureLine()).isEqualTo("FAIL l1 may refund 150 (cases.yaml:3): expected allow; "
                + "expected rule tools.issue_refund.rules[0], got deny [tools.issue_refund.rules[3]] refund amount not allowed for your role");
    }

    @Test
    void aReportEndsWithPassedAndFailedCounts() {
        GoldenCase c = expecting(Action.ALLOW, null, null);
        CasesReport report = new CasesReport(List.of(
                new CaseResult(c, decided(Action.ALLOW, "default", "ok"), List.of()),
                new CaseResult(c, decided(Action.ALLOW, "default", "ok"), List.of()),
                new CaseResult(c, decided(Action.DENY, "default", "no"), List.of("expected allow"))));

        assertThat(report.summaryLine()).isEqualTo("2 passed, 1 failed");
        assertThat(report.failures()).hasSize(1);
    }
}
