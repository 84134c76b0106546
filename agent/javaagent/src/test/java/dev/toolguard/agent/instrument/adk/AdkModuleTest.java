package dev.toolguard.agent.instrument.adk;

import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.ReshapedJar;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks' matchers against the class files of the ADK the agent is built for, and the module's check against an
 * ADK it does not fit: the same release with {@code FunctionTool.runAsync} renamed and another version number, as a
 * release that moved the call would look to the agent.
 */
class AdkModuleTest {

    static final String RESHAPED = "1.8.0-reshaped";

    @TempDir
    Path dir;

    @Test
    void everyFunctionToolCallGoesThroughTheOneMethodAdvised() {
        assertThat(matching(AdkModule.FUNCTION_TOOL, AdkModule.runAsync())).singleElement().asString()
                .startsWith("runAsync(Ljava/util/Map;Lcom/google/adk/tools/ToolContext;)");
    }

    @Test
    void aToolDeclaresItselfInAModelRequestThroughTheOneMethodAdvised() {
        assertThat(matching(AdkModule.BASE_TOOL, AdkModule.processLlmRequest())).singleElement().asString()
                .startsWith("processLlmRequest(Lcom/google/adk/models/LlmRequest$Builder;Lcom/google/adk/tools/ToolContext;)");
        // FunctionTool declares itself as every tool does: it has no override the advice would miss
        assertThat(matching(AdkModule.FUNCTION_TOOL, AdkModule.processLlmRequest())).isEmpty();
    }

    @Test
    void onAnAdkWhoseCallMethodMovedEveryCallIsDeniedNamingTheFrameworkAndItsVersion() throws Exception {
        List<String> said = new ArrayList<>();
        ModuleChecks checks = new ModuleChecks(Modules.ALL, true, AdkModuleTest.class.getClassLoader(), said::add);
        InstrumentationModule adk = Modules.named(List.of("adk")).get(0);
        // FunctionTool.runAsync renamed runAsyncX, the pom.properties saying another version
        Path reshaped = ReshapedJar.copy(ReshapedJar.holding("com/google/adk/tools/FunctionTool.class"),
                dir.resolve("google-adk-" + RESHAPED + ".jar"), "com/google/adk/tools/FunctionTool.class", "runAsync",
                "META-INF/maven/com.google.adk/google-adk/pom.properties", "version=", RESHAPED);
        try (URLClassLoader app = new URLClassLoader(new URL[] {reshaped.toUri().toURL(),
                ReshapedJar.holding("io/reactivex/rxjava3/core/Single.class").toUri().toURL()}, null)) {

            ModuleChecks.Result r = checks.check(adk, app);

            assertThat(r.status()).isEqualTo(ModuleChecks.Status.NOT_APPLIED);
            assertThat(checks.refusal("adk")).isEqualTo("the adk integration does not fit adk " + RESHAPED
                    + " found in this application (FunctionToolCall on com.google.adk.tools.FunctionTool#"
                    + "runAsync(Map, ToolContext) finds no such method), so its tool calls are denied");
            assertThat(said).singleElement().asString()
                    .startsWith("toolguard: adk " + RESHAPED + ": not applied, so every adk tool call is denied: ")
                    .endsWith("(this agent supports adk 1.0 to 1.8)");
            // the fuse still fits: it is what stops the function tools from being made
            assertThat(r.fitting()).anySatisfy(h -> assertThat(h.describe()).startsWith("ModuleFuse on " + AdkModule.FUNCTION_TOOL));
        }
    }
}
