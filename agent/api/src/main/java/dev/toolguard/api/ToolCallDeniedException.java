package dev.toolguard.api;

/**
 * Thrown in place of a tool's body when ToolGuard denies the call. The message is written for the model:
 * {@code Denied by policy support-agent: refund amount not allowed for your role [tools.issue_refund.rules[3]]}.
 * It never has a cause, so frameworks that report a tool error show this text and nothing of ours.
 */
public class ToolCallDeniedException extends SecurityException {
    private static final long serialVersionUID = 1L;

    private final String tool;
    private final String rule;
    private final String reason;

    public ToolCallDeniedException(String tool, String rule, String reason, String message) {
        super(message);
        this.tool = tool;
        this.rule = rule;
        this.reason = reason;
    }

    /** The tool name as policies see it. */
    public String tool() {
        return tool;
    }

    /** The rule id that denied (SPEC §5), e.g. {@code tools.issue_refund.rules[3]}. */
    public String rule() {
        return rule;
    }

    /** The reason alone, without the policy name and rule id. */
    public String reason() {
        return reason;
    }
}
