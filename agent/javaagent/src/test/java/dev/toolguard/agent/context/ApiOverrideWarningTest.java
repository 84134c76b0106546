package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;
import dev.toolguard.api.ToolGuard;
import dev.toolguard.instrumentation.ToolMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process-wide source ({@code env}, {@code system-property}) that sets a caller path after the {@code api}
 * source silently makes every caller the same one; the agent says so at start, naming both sources.
 */
class ApiOverrideWarningTest {

    private static ContextSourceSpec spec(String name, Map<String, String> mapping, String where) {
        return new ContextSourceSpec(name, mapping, where);
    }

    @Test
    void anEnvSourceSettingUserIdIsNamedWithTheApiSourceItOverrides() {
        List<String> warnings = ContextSourceRegistry.callerPathsOverridingTheApi(List.of(
                spec("env", Map.of("user.id", "SUPPORT_DESK_USER"), "toolguard.yaml:3:5")));

        assertThat(warnings).singleElement().asString()
                .contains("context source 'env' (toolguard.yaml:3:5) sets user.id from SUPPORT_DESK_USER")
                .contains("ToolGuard.runAs").contains("source 'api'").contains("list '- api: {}' after 'env'");
    }

    @Test
    void theWarningIsTrueTheProcessWideValueWinsOverRunAs() throws Exception {
        List<ContextSourceSpec> specs = List.of(spec("env", Map.of("user.id", "SUPPORT_DESK_USER"), "toolguard.yaml:3:5"));
        List<ConfigProblem> problems = new ArrayList<>();
        ContextAssembler assembler = ContextSourceRegistry.standard(Map.of("SUPPORT_DESK_USER", "desk"))
                .assemble(specs, problems);
        ToolMethod tool = new ToolMethod("t", "C", "m", "C#m()", List.of(), "guarded-tool");

        Map<String, Object> ctx = ToolGuard.runAs(Map.of("user.id", "alice"),
                () -> assembler.assemble(new CallSite(tool, this, new Object[0])));

        assertThat(problems).isEmpty();
        assertThat(ctx).isEqualTo(Map.of("user", Map.of("id", "desk")));
        assertThat(ContextSourceRegistry.callerPathsOverridingTheApi(specs)).hasSize(1);
    }

    @Test
    void everyCallerPathOfEitherProcessWideSourceIsNamed() {
        List<String> warnings = ContextSourceRegistry.callerPathsOverridingTheApi(List.of(
                spec("system-property", Map.of("tenant", "app.tenant", "agent.id", "toolguard.agent.id"), "a:1:1"),
                spec("env", Map.of("session.id", "SESSION", "user.roles", "ROLES"), "a:2:1")));

        assertThat(warnings).hasSize(3).anySatisfy(w -> assertThat(w).contains("'system-property'").contains("sets tenant "))
                .anySatisfy(w -> assertThat(w).contains("'env'").contains("sets session.id "))
                .anySatisfy(w -> assertThat(w).contains("'env'").contains("sets user.roles "));
    }

    @Test
    void processWideAgentPathsOrAnApiListedLastOrOtherSourcesAreNotWarnedAbout() {
        assertThat(ContextSourceRegistry.callerPathsOverridingTheApi(List.of(
                spec("system-property", Map.of("agent.id", "toolguard.agent.id"), "a:1:1"),
                spec("mdc", Map.of("user.id", "userId"), "a:2:1"),
                spec("env", Map.of("user.id", "U"), "a:3:1"),
                spec("api", Map.of(), "a:4:1")))).isEmpty();
    }
}
