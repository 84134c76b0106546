package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.LegacyToolsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §7, unmatched intent is loud: a mistyped method or class in rules.yaml is said with the entry's place and the
 * nearest names. A mistyped method of an entry that names one class refuses that class's public methods (the tool it
 * meant is one of them, and which is not known); a mistyped class cannot be told from a class not loaded yet, so its
 * tools stay unguarded, said as a warning. With {@code instrumentation.require_matches} every guarded call is denied
 * as well.
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

    /** What a call of BillingService reads once its entry's method is found mistyped: refused, with the entry's error. */
    private String refusedForTheEntry() {
        return "Denied by policy legacy: invalid call: " + dir.resolve("rules.yaml") + ":2:5: class "
                + "dev.toolguard.it.agent.apps.legacy.BillingService has no method matching 'issueRefnd'"
                + " (did you mean issueRefund?); none of the class's public methods may run until the entry is mended"
                + " [on_error]";
    }

    @Test
    void aMistypedMethodIsAnErrorNamingTheEntryAndTheNearestMethodAndRefusesTheClassesPublicMethods() throws Exception {
        AgentProcess app = run("");

        assertThat(app.stderrLines()).contains("toolguard: error: " + dir.resolve("rules.yaml") + ":2:5: class "
                + "dev.toolguard.it.agent.apps.legacy.BillingService has no method matching 'issueRefnd'"
                + " (did you mean issueRefund?); none of the class's public methods may run until the entry is mended");
        // the tool the entry meant (issueRefund, both overloads) is among the refused: no body ran undecided
        for (int call = 1; call <= 3; call++) {
            assertThat(app.stdoutLines()).as(app.stderr()).contains("call " + call + ": denied ToolCallDeniedException "
                    + refusedForTheEntry());
        }
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran refund"));
        // the tools of the other entries are decided by the policy as before, and the application runs on
        assertThat(app.stdoutLines()).contains("done").anySatisfy(l -> assertThat(l).startsWith(
                "call 6: denied ToolCallDeniedException Denied by policy legacy: archives are read-only for agents ["));
        // each refusal is audited: a denied decision with rule on_error and the same reason
        assertThat(AuditFile.ofType(dir.resolve("audit.jsonl"), "decision"))
                .filteredOn(r -> r.path("tool").asText().equals("dev.toolguard.it.agent.apps.legacy.BillingService#issueRefund"))
                .hasSize(3).allSatisfy(r -> {
                    assertThat(r.path("action").asText()).isEqualTo("deny");
                    assertThat(r.path("rule").asText()).isEqualTo("on_error");
                    assertThat(r.path("reason").asText()).contains("has no method matching 'issueRefnd'");
                });
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
        // BillingService's public methods (calls 1 to 3) refused for its entry, and the annotated archive (call 6)
        // denied as every guarded call is: none ran
        for (int call = 1; call <= 3; call++) {
            assertThat(app.stdoutLines()).as(app.stderr()).contains("call " + call + ": denied ToolCallDeniedException "
                    + refusedForTheEntry());
        }
        assertThat(app.stdoutLines()).as(app.stderr()).anySatisfy(l -> assertThat(l)
                .startsWith("call 6: denied ToolCallDeniedException Denied by ToolGuard: a rules.yaml entry"
                        + " matches nothing: ").endsWith("(instrumentation.require_matches) [on_error]"));
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran refund") || l.startsWith("body ran archive"));
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: error: ")
                .endsWith("; every guarded call is denied (instrumentation.require_matches)"));
    }
}
