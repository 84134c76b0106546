package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.AgentConfig;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.instrumentation.ToolCount;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.load.PolicyBundle;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The one line the agent writes to standard error when it starts (SPEC §1): its version, the bundle deciding
 * (or why there is none), the mode, where the audit log goes, and where the admin API listens when it runs
 * (the port actually bound, so that {@code admin.listen: 127.0.0.1:0} can be found), and how each framework module
 * found on the class path stands ({@code langchain4j 1.19.0 applied}; {@code NOT APPLIED}: its calls are denied),
 * and how many tools are guarded, by module ({@code tools: 7 guarded (langchain4j 4, rules 3)}).
 */
public final class StartLine {

    private StartLine() {
    }

    /**
     * @param auditProblem why the audit log could not be opened, or null when it is open
     * @param admin        the address the admin API is bound to, or null when it is not running
     * @param frameworks   the framework modules found on the class path at start, and how each stands
     * @param attached     true when loaded into a running JVM, whose loaded classes are instrumented by now
     * @param guarded      the tool methods instrumented by now
     */
    public static String of(String version, ActivePolicy.Snapshot policy, AgentConfig config, String auditProblem,
                            InetSocketAddress admin, List<ModuleChecks.Result> frameworks, boolean attached,
                            List<ToolMethod> guarded) {
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
        if (!frameworks.isEmpty()) {
            line.append("; frameworks: ").append(frameworks.stream().map(ModuleChecks.Result::summary)
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
        line.append("; tools: ").append(ToolCount.of(guarded));
        if (!attached) {
            // at JVM start the application's classes are not loaded yet: each is guarded as it loads
            line.append(" so far, more as classes load");
        }
        if (admin != null) {
            line.append("; admin API on ").append(url(admin));
        }
        return line.toString();
    }

    /** {@code http://127.0.0.1:9464}, {@code http://[::1]:9464}. */
    static String url(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
