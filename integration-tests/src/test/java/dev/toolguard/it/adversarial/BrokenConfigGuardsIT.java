package dev.toolguard.it.adversarial;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.agent.apps.LegacyToolsApp;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.1 and §7: a mistake in {@code toolguard.yaml} or {@code rules.yaml} leaves no tool undecided. A config
 * with problems denies every guarded call; these check that the tools the broken files meant are guarded at all,
 * so that they are among the denied: a rules file that does not parse, a mistyped key in an entry, a config that
 * does not parse, a mistyped {@code rules} key or file name, a mistyped {@code config} agent option or system
 * property, a mistyped built-in module. Before, each of these ran the tools'
 * bodies with no decision while the agent said "config error".
 */
class BrokenConfigGuardsIT {

    /** What a call reads while the config has errors: no policy is loaded from a config that is not trusted. */
    static final String NO_POLICY = "Denied by ToolGuard: no policy loaded [no_policy]";

    @TempDir
    Path dir;

    /** The legacy app (tools by class glob, by implements, by its own annotation) under the given files. */
    private AgentProcess legacy(String rules, String config) throws Exception {
        return legacy(rules, config, "config");
    }

    /** The same, with the config file given by the agent option {@code option}. */
    private AgentProcess legacy(String rules, String config, String option) throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("legacy.yaml");
        s.write("rules.yaml", rules);
        Path file = s.write("toolguard.yaml", config);
        return s.app().agentOptions(option + "=" + file).property("app.user", "u-prop").main(LegacyToolsApp.class).run();
    }

    private static final String CONFIG = """
            policy:
              sources: [policies/]
            audit:
              file: audit.jsonl
            instrumentation:
              rules: [rules.yaml]
            context:
              - system-property: {user.id: app.user}
            """;

    private static final String RULES = """
            tools:
              - class: dev.toolguard.it.agent.apps.legacy.**Service
                method: issue*
                name: issue_refund
                parameters: [customer_id, amount, reason]
              - implements: dev.toolguard.it.agent.apps.legacy.AgentTool
                method: execute
                name: lookup
              - annotation: dev.toolguard.it.agent.apps.legacy.AgentAction
                name_from: value
            """;

    /** Calls 1 to 6 are the rules file's tools (the policy allows 1, 3 and 4): each denied, no body ran. */
    private static void everyToolOfTheRulesFileIsDenied(AgentProcess app) {
        assertThat(app.exitCode()).as(app.stderr()).isZero();
        for (int call = 1; call <= 6; call++) {
            assertThat(app.stdoutLines()).as(app.stderr()).contains("call " + call + ": denied ToolCallDeniedException "
                    + NO_POLICY);
        }
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran refund") || l.startsWith("body ran lookup")
                || l.startsWith("body ran archive"));
        assertThat(app.stdoutLines()).contains("done");
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: "));
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).contains("no policy loaded: the configuration has"
                + " errors (see above) (every guarded call is denied)"));
    }

    @Test
    void aRulesFileThatDoesNotParseStillHasItsToolsDenied() throws Exception {
        AgentProcess app = legacy(RULES.replace("[customer_id, amount, reason]", "[customer_id, amount, reason"), CONFIG);

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: "
                + dir.resolve("rules.yaml")));
        assertThat(app.stderrLines()).contains("toolguard: with the config broken, every built-in module guards, and so"
                + " do the 3 rules.yaml entries its files can be read to name; every guarded call is denied until the"
                + " config is fixed");
        // a method no entry names is no tool: the broken file guards what it meant, not the whole class
        assertThat(app.stdoutLines()).contains("body ran describe t-1", "call 7: ok ticket t-1");
    }

    @Test
    void mistypedKeysInARulesFileStillHaveTheToolsTheyMeantDenied() throws Exception {
        AgentProcess app = legacy(RULES.replace("method: issue*", "methd: issue*")
                .replace("- implements:", "- implments:"), CONFIG);

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: "
                + dir.resolve("rules.yaml")).contains("methd"));
    }

    @Test
    void aConfigThatDoesNotParseStillHasTheToolsOfItsRulesFilesDenied() throws Exception {
        AgentProcess app = legacy(RULES, CONFIG.replace("{user.id: app.user}", "{user.id: app.user"));

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: "
                + dir.resolve("toolguard.yaml")));
    }

    @Test
    void aMistypedRulesKeyInTheConfigStillHasTheToolsOfTheFileDenied() throws Exception {
        AgentProcess app = legacy(RULES, CONFIG.replace("  rules: [rules.yaml]", "  rule: [rules.yaml]"));

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: ")
                .contains("rule"));
    }

    @Test
    void aMistypedRulesFileNameStillHasTheToolsOfTheNearestFileDenied() throws Exception {
        AgentProcess app = legacy(RULES, CONFIG.replace("rules: [rules.yaml]", "rules: [rule.yaml]"));

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: "
                + dir.resolve("rule.yaml")).contains("did you mean rules.yaml?"));
    }

    @Test
    void aMistypedConfigOptionStillHasTheToolsOfTheRulesFilesOfItsFileDenied() throws Exception {
        AgentProcess app = legacy(RULES, CONFIG, "confg");

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: ")
                .contains("unknown agent option 'confg'"));
    }

    @Test
    void aMistypedConfigSystemPropertyStillHasTheToolsOfTheRulesFilesOfItsFileDenied() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("legacy.yaml");
        s.write("rules.yaml", RULES);
        Path file = s.write("toolguard.yaml", CONFIG);
        AgentProcess app = s.app().property("toolguard.confg", file.toString()).property("app.user", "u-prop")
                .main(LegacyToolsApp.class).run();

        everyToolOfTheRulesFileIsDenied(app);
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: ")
                .contains("system property toolguard.confg: unknown setting, not taken (did you mean toolguard.config?)"));
    }

    @Test
    void aMistypedBuiltInModuleLeavesNoAnnotatedToolUndecided() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("""
                instrumentation:
                  builtin: [guarded-tol, langchain4j]
                """);

        AgentProcess app = s.app().agentOptions("config=" + config).main(RefundApp.class, "150").run();

        assertThat(app.stdoutLines()).as(app.stderr())
                .contains("call 150: denied security=true cause=null rule=no_policy message=" + NO_POLICY);
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran"));
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("toolguard: config error: ")
                .contains("guarded-tol"));
    }
}
