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
        /**
         * Any other difference: another action ({@code require_approval} on either side), the same action by another
         * rule, or another action than a recorded decision no policy made ({@code no_policy}, {@code on_error}).
         */
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

        /**
         * The rules of decisions the agent made without a policy's verdict: no policy was loaded, or the call could
         * not be decided (an error, a class that could not be instrumented). A candidate cannot tighten or loosen
         * them, so a call the candidate decides otherwise is {@link #OTHER}, never {@code deny-to-allow}: a gate on
         * loosening would otherwise fail on every call made while the agent started without a policy.
         */
        static final java.util.Set<String> AGENT_OWN_RULES = java.util.Set.of("no_policy", "on_error");

        static Change of(Action before, String ruleBefore, Action after, String ruleAfter) {
            if (before == after) {
                return java.util.Objects.equals(ruleBefore, ruleAfter) ? UNCHANGED : OTHER;
            }
            if (AGENT_OWN_RULES.contains(ruleBefore)) {
                return OTHER;
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
