package dev.toolguard.agent.instrument.embabel;

import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.ReshapedJar;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks' matchers against the class files of the Embabel the agent is built for (0.5.0, Java 21 class files read,
 * never loaded), and the module's check against an Embabel it does not fit: the same release with
 * {@code DefaultToolLoop.executeToolCall} renamed and another version number, as a release that moved the call would
 * look to the agent.
 */
class EmbabelModuleTest {

    static final String RESHAPED = "0.5.0-reshaped";
    static final String TOOL_LOOP_CLASS = "com/embabel/agent/spi/loop/support/DefaultToolLoop.class";
    static final String POM_PROPERTIES = "META-INF/maven/com.embabel.agent/embabel-agent-api/pom.properties";

    @TempDir
    Path dir;

    @Test
    void everyToolCallOfEmbabelsToolLoopGoesThroughTheOneMethodAdvised() {
        assertThat(matching(EmbabelModule.TOOL_LOOP, EmbabelModule.executeToolCall())).singleElement().asString()
                .startsWith("executeToolCall(Lcom/embabel/agent/api/tool/Tool;Lcom/embabel/chat/ToolCall;)Lkotlin/Pair;");
        // the parallel loop runs its calls through the same inherited method: it declares none the advice would miss
        assertThat(matching("com.embabel.agent.spi.loop.support.ParallelToolLoop", EmbabelModule.executeToolCall()))
                .isEmpty();
    }

    @Test
    void springAiRunsAnEmbabelToolThroughTheOneAdapterMethodAdvised() {
        assertThat(matching(EmbabelModule.ADAPTER, EmbabelModule.adapterCall())).singleElement().asString()
                .startsWith("call(Ljava/lang/String;Lorg/springframework/ai/chat/model/ToolContext;)Ljava/lang/String;");
    }

    @Test
    void theToolsOfferedToAModelBecomeSpringAiCallbacksThroughTheOneFunctionAdvised() {
        assertThat(matching(EmbabelModule.ADAPTER_FUNCTIONS, EmbabelModule.toSpringToolCallbacks())).singleElement()
                .asString().startsWith("toSpringToolCallbacks(Ljava/util/List;)Ljava/util/List;");
    }

    @Test
    void theModuleIsRegisteredAndNamesTheVersionsItClaims() {
        InstrumentationModule embabel = Modules.named(List.of("embabel")).get(0);
        assertThat(embabel.supportedVersions()).isEqualTo("0.3.4 to 0.5");
        assertThat(embabel.versionArtifact()).isEqualTo("com.embabel.agent:embabel-agent-api");
    }

    @Test
    void anIntactEmbabelFitsEveryHook() throws Exception {
        ModuleChecks checks = new ModuleChecks(Modules.ALL, true, EmbabelModuleTest.class.getClassLoader(), s -> { });
        InstrumentationModule embabel = Modules.named(List.of("embabel")).get(0);
        try (URLClassLoader app = embabelApp(ReshapedJar.holding(TOOL_LOOP_CLASS))) {
            ModuleChecks.Result r = checks.check(embabel, app);

            assertThat(r.problems()).isEmpty();
            assertThat(r.status()).isEqualTo(ModuleChecks.Status.APPLIED);
            assertThat(r.fitting()).hasSize(embabel.hooks().size());
        }
    }

    @Test
    void onAnEmbabelWhoseToolLoopMovedItsCallEveryCallIsDeniedNamingTheFrameworkAndItsVersion() throws Exception {
        List<String> said = new ArrayList<>();
        ModuleChecks checks = new ModuleChecks(Modules.ALL, true, EmbabelModuleTest.class.getClassLoader(), said::add);
        InstrumentationModule embabel = Modules.named(List.of("embabel")).get(0);
        // DefaultToolLoop.executeToolCall renamed executeToolCalX
        Path reshaped = ReshapedJar.copy(ReshapedJar.holding(TOOL_LOOP_CLASS),
                dir.resolve("embabel-agent-api-" + RESHAPED + ".jar"), TOOL_LOOP_CLASS, "executeToolCall",
                POM_PROPERTIES, "version=", RESHAPED);
        try (URLClassLoader app = embabelApp(reshaped)) {

            ModuleChecks.Result r = checks.check(embabel, app);

            assertThat(r.status()).isEqualTo(ModuleChecks.Status.NOT_APPLIED);
            assertThat(checks.refusal("embabel")).isEqualTo("the embabel integration does not fit embabel " + RESHAPED
                    + " found in this application (LoopToolCall on " + EmbabelModule.TOOL_LOOP
                    + "#executeToolCall(Tool, ToolCall) finds no such method), so its tool calls are denied");
            assertThat(said).singleElement().asString()
                    .startsWith("toolguard: embabel " + RESHAPED + ": not applied, so every embabel tool call is denied: ")
                    .endsWith("(this agent supports embabel 0.3.4 to 0.5)");
            // the fuses still fit: they stop every tool call the loop is given, and every tool offered to a ChatClient
            assertThat(r.fitting()).anySatisfy(h -> assertThat(h.describe()).startsWith("ModuleFuse on " + EmbabelModule.TOOL_CALL));
            assertThat(r.fitting()).anySatisfy(h -> assertThat(h.describe()).startsWith("ModuleFuse on " + EmbabelModule.ADAPTER));
        }
    }

    @Test
    void anEmbabelOlderThanItsToolLoopIsReportedNotAppliedNeverPassedOver() throws Exception {
        List<String> said = new ArrayList<>();
        ModuleChecks checks = new ModuleChecks(Modules.ALL, true, EmbabelModuleTest.class.getClassLoader(), said::add);
        InstrumentationModule embabel = Modules.named(List.of("embabel")).get(0);
        // as 0.2 is to the agent: Embabel's platform, but no tool loop and no Spring AI adapter of its own tools
        Path older = dir.resolve("embabel-agent-api-0.2.0.jar");
        try (JarFile in = new JarFile(ReshapedJar.holding(TOOL_LOOP_CLASS).toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(older))) {
            out.putNextEntry(new JarEntry("com/embabel/agent/core/AgentPlatform.class"));
            out.write(in.getInputStream(in.getEntry("com/embabel/agent/core/AgentPlatform.class")).readAllBytes());
            out.putNextEntry(new JarEntry(POM_PROPERTIES));
            out.write("groupId=com.embabel.agent\nartifactId=embabel-agent-api\nversion=0.2.0\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        try (URLClassLoader app = embabelApp(older)) {

            ModuleChecks.Result r = checks.check(embabel, app);

            assertThat(r.status()).isEqualTo(ModuleChecks.Status.NOT_APPLIED);
            assertThat(said).singleElement().asString()
                    .startsWith("toolguard: embabel 0.2.0: not applied, so every embabel tool call is denied: ")
                    .endsWith("(this agent supports embabel 0.3.4 to 0.5)");
        }
    }

    /** An application's loader: the Embabel jar given, with the Spring AI its adapter implements. */
    private static URLClassLoader embabelApp(Path embabel) throws Exception {
        return new URLClassLoader(new URL[] {embabel.toUri().toURL(),
                ReshapedJar.holding("org/springframework/ai/tool/ToolCallback.class").toUri().toURL()}, null);
    }
}
