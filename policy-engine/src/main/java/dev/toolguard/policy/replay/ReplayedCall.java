package dev.toolguard.policy.replay;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;

/**
 * One recorded call re-decided under the candidate.
 *
 * @param recorded     the call and its recorded decision
 * @param decision     the candidate's decision
 * @param change       how the two compare
 * @param undecidable  for {@link Change#UNDECIDABLE}: why ({@code redacted: /args/password}), else null
 */
public record ReplayedCall(RecordedCall recorded, Decision decision, Change change, String undecidable) {

    /** How the candidate's decision compares with the recorded one. */
    public enum Change {
        /** The same action under the same rule. */
        UNCHANGED("unchanged"),
        ALLOW_TO_DENY("allow-to-deny"),
        DENY_TO_ALLOW("deny-to-allow"),
        /** Any other difference: another action ({@code require_approval} on either side), or the same action by another rule. */
        OTHER("other"),
        /** The decision read a value the log hid; never counted as unchanged. */
        UNDECIDABLE("undecidable");

        private final String label;

        Change(String label) {
            this.label = label;
        }

        /** {@code allow-to-deny}: the word {@code --fail-on} and the JSON report use. */
        public String label() {
            return label;
        }

        static Change of(Action before, String ruleBefore, Action after, String ruleAfter) {
            if (before == after) {
                return java.util.Objects.equals(ruleBefore, ruleAfter) ? UNCHANGED : OTHER;
            }
            if (before == Action.ALLOW && after == Action.DENY) {
                return ALLOW_TO_DENY;
            }
            if (before == Action.DENY && after == Action.ALLOW) {
                return DENY_TO_ALLOW;
            }
            return OTHER;
        }
    }

    public Action oldAction() {
        return recorded.action();
    }

    public Action newAction() {
        return decision.action();
    }

    /** What the report shows as the new decision: the action, or {@code undecidable (redacted: /ptr)}. */
    public String newOutcome() {
        return change == Change.UNDECIDABLE ? "undecidable (" + undecidable + ")" : decision.action().wireName();
    }
}
