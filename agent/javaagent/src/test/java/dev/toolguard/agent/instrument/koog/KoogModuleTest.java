package dev.toolguard.agent.instrument.koog;

import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.ReshapedJar;
import dev.toolguard.agent.instrument.check.FrameworkVersion;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks' matchers against the class files of the Koog the agent is built for, the version read from a Gradle
 * jar's manifest, and the module's check against a Koog it does not fit: the same release with
 * {@code GenericAgentEnvironment.executeTool} renamed and another version in its manifest, as a release that moved
 * the call would look to the agent.
 */
public class KoogModuleTest {

    public static final String RESHAPED = "1.1.1-reshaped";
    static final String ENVIRONMENT_CLASS = "ai/koog/agents/core/environment/GenericAgentEnvironment.class";

    @TempDir
    Path dir;

    /**
     * A copy in {@code dir} of Koog's agents-core jar {@code koog} whose {@code GenericAgentEnvironment.executeTool} is
     * named {@code executeTooX} and whose manifest says {@value #RESHAPED}; also what {@code KoogReshapedIT} runs the
     * sample on.
     */
    public static Path reshape(Path koog, Path dir) throws IOException {
        return ReshapedJar.copy(koog, dir.resolve("agents-core-jvm-" + RESHAPED + ".jar"), ENVIRONMENT_CLASS,
                "executeTool", "META-INF/MANIFEST.MF", "Implementation-Version: ", RESHAPED);
    }

    @Test
    void everyToolCallOfAnAgentGoesThroughTheOneMethodAdvised() {
        // the one-argument executeTool only forwards to this one; processToolCall is private and runs inside it
        assertThat(matching(KoogModule.ENVIRONMENT, KoogModule.executeTool())).singleElement().asString()
                .startsWith("executeTool(Lai/koog/prompt/message/MessagePart$Tool$Call;"
                        + "Lai/koog/agents/core/tools/ToolCallMetadata;Lkotlin/coroutines/Continuation;)");
    }

    @Test
    void everyModelRequestOfAnAgentOffersItsToolsThroughTheMethodsAdvised() {
        assertThat(matching(KoogModule.PROMPT_EXECUTOR, KoogModule.modelRequest())).hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("execute(Lai/koog/prompt/Prompt;Lai/koog/prompt/llm/LLModel;"
                        + "Ljava/util/List;Lkotlin/coroutines/Continuation;)"))
                .anySatisfy(m -> assertThat(m).startsWith("executeStreaming(Lai/koog/prompt/Prompt;"))
                .anySatisfy(m -> assertThat(m).startsWith("executeMultipleChoices(Lai/koog/prompt/Prompt;"));
    }

    @Test
    void koogsVersionIsReadFromTheManifestOfItsJarForGradleWritesNoPomProperties() {
        FrameworkVersion v = FrameworkVersion.of(KoogModuleTest.class.getClassLoader(), "ai.koog:agents-core-jvm",
                KoogModule.ENVIRONMENT);

        assertThat(v.text()).isEqualTo("1.1.1");
        // a manifest that names another artifact says nothing of this one
        assertThat(FrameworkVersion.of(KoogModuleTest.class.getClassLoader(), "ai.koog:agents-tools-jvm",
                KoogModule.ENVIRONMENT)).isSameAs(FrameworkVersion.UNKNOWN);
    }

    @Test
    void onAKoogWhoseToolCallMethodMovedEveryCallIsDeniedNamingTheFrameworkAndItsVersion() throws Exception {
        List<String> said = new ArrayList<>();
        ModuleChecks checks = new ModuleChecks(Modules.ALL, true, KoogModuleTest.class.getClassLoader(), said::add);
        InstrumentationModule koog = Modules.named(List.of("koog")).get(0);
        Path reshaped = reshape(ReshapedJar.holding(ENVIRONMENT_CLASS), dir);
        List<URL> path = new ArrayList<>(List.of(reshaped.toUri().toURL()));
        for (String other : List.of("ai/koog/prompt/message/MessagePart.class", "ai/koog/agents/core/tools/ToolBase.class",
                "ai/koog/serialization/JSONObject.class", "ai/koog/prompt/llm/LLModel.class",
                "kotlin/coroutines/Continuation.class")) {
            path.add(ReshapedJar.holding(other).toUri().toURL());
        }
        try (URLClassLoader app = new URLClassLoader(path.toArray(URL[]::new), null)) {

            ModuleChecks.Result r = checks.check(koog, app);

            assertThat(r.status()).isEqualTo(ModuleChecks.Status.NOT_APPLIED);
            assertThat(checks.refusal("koog")).isEqualTo("the koog integration does not fit koog " + RESHAPED
                    + " found in this application (EnvironmentToolCall on " + KoogModule.ENVIRONMENT
                    + "#executeTool(Call, ToolCallMetadata, Continuation) finds no such method), so its tool calls"
                    + " are denied");
            assertThat(said).singleElement().asString()
                    .startsWith("toolguard: koog " + RESHAPED + ": not applied, so every koog tool call is denied: ")
                    .endsWith("(this agent supports koog 1.0 to 1.1)");
            // the fuse still fits: it is what stops every agent's run before any tool
            assertThat(r.fitting()).anySatisfy(h -> assertThat(h.describe()).startsWith("ModuleFuse on " + KoogModule.ENVIRONMENT));
        }
    }
}
