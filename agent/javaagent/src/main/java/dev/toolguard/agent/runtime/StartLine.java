package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.AgentConfig;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.policy.load.PolicyBundle;

/**
 * The one line the agent writes to standard error when it starts (SPEC §1): its version, the bundle deciding
 * (or why there is none), the mode, and where the audit log goes.
 */
public final class StartLine {

    private StartLine() {
    }

    /**
     * @param auditProblem why the audit log could not be opened, or null when it is open
     */
    public static String of(String version, ActivePolicy.Snapshot policy, AgentConfig config, String auditProblem) {
        StringBuilder line = new StringBuilder("ToolGuard ").append(version).append(" started: ");
        if (policy.loaded()) {
            PolicyBundle b = policy.bundle();
            line.append("policy ").append(b.name()).append(" version ").append(b.version())
                    .append(" sha256 ").append(b.sha256());
        } else {
            line.append(policy.noPolicyReason()).append(config.mode() == dev.toolguard.agent.config.EnforcementMode.SHADOW
                    ? " (shadow: every guarded call is audited as denied, none is blocked)"
                    : " (every guarded call is denied)");
        }
        line.append("; mode ").append(config.mode().wireName());
        if (auditProblem != null) {
            line.append("; audit log NOT open: ").append(auditProblem);
        } else {
            line.append("; audit to ").append(config.auditToStderr() ? "standard error" : config.auditFile());
        }
        return line.toString();
    }
}
