package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.LegacyToolsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §7, unmatched intent is loud: a mistyped method or class in rules.yaml leaves the tools it meant unguarded,
 * so it is said with the entry's place and the nearest names; with {@code instrumentation.require_matches} every
 * guarded call is denied instead, and the class whose method was not found has every public method denied.
 */
class RulesFileTyposIT {

    @TempDir
    Path dir;

    /** The legacy app's rules with the refund method mistyped and the lookup tool's interface too. */
    private AgentProcess run(String instrumentationExtra) throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("legacy.yaml");
        s.write("rules.yaml", """
                tools:
                  - class: dev.toolguard.it.agent.apps.legacy.BillingService
                    method: issueRefnd
                    name: issue_refund
                  - implements: dev.toolguard.it.agent.apps.legacy.AgentTol
                    method: execute
                    name: lookup
                  - annotation: dev.toolguard.it.agent.apps.legacy.AgentAction
                    name_from: value
                """);
        Path config = s.config("""
                instrumentation:
                  rules: [rules.yaml]
                """ + instrumentationExtra + """
                context:
                  - system-property: {user.id: app.user}
                """);
        return s.app().agentOptions("config=" + config).property("app.user", "u-prop").main(LegacyToolsApp.class).run();
    }

    @Test
    void aMistypedMethodIsAnErrorNamingTheEntryAndTheNearestMethod() throws Exception {
        AgentProcess app = run("");

        assertThat(app.stderrLines()).contains("toolguard: error: " + dir.resolve("rules.yaml") + ":2:5: class "
                + "dev.toolguard.it.agent.apps.legacy.BillingService has no method matching 'issueRefnd'"
                + " (did you mean issueRefund?); the tools it meant are not guarded");
        // without require_matches the mistake costs the guard: said loudly, not silently
        assertThat(app.stdoutLines()).contains("call 1: ok refunded 150.0");
    }

    @Test
    void aMistypedClassIsAWarningNamingTheEntryOnceTheApplicationHadTimeToLoadIt() throws Exception {
        // a grace that a loaded machine cannot outrun before the app loads AgentTool: said by the timer, or at exit
        // when the app ends first; either way after the app loaded the class the entry meant
        AgentProcess app = run("  match_grace: 2s\n");

        assertThat(app.stderrLines()).contains("toolguard: warning: " + dir.resolve("rules.yaml") + ":5:5: no loaded class"
                + " matches implements dev.toolguard.it.agent.apps.legacy.AgentTol"
                + " (did you mean dev.toolguard.it.agent.apps.legacy.AgentTool?); the tools it meant are not guarded");
    }

    @Test
    void withRequireMatchesAMistypedEntryDeniesEveryGuardedCallAndEveryPublicMethodOfItsClass() throws Exception {
        AgentProcess app = run("  require_matches: true\n");

        assertThat(app.exitCode()).isZero();
        // BillingService's public methods (calls 1 to 3) and the annotated archive (call 6): all denied, none ran
        for (int call : new int[] {1, 2, 3, 6}) {
            assertThat(app.stdoutLines()).as(app.stderr()).anySatisfy(l -> assertThat(l)
                    .startsWith("call " + call + ": denied ToolCallDeniedException Denied by ToolGuard: a rules.yaml entry"
                            + " matches nothing: ").endsWith("(instrumentation.require_matches) [on_error]"));
        }
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran refund") || l.startsWith("body ran archive"));
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: error: ")
                .endsWith("; every guarded call is denied (instrumentation.require_matches)"));
    }
}
