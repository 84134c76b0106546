package dev.toolguard.agent.instrument.koog;

import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.check.FrameworkVersion;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks' matchers against the class files of the Koog the agent is built for, the version read from a Gradle
 * jar's manifest, and the module's check against a Koog it does not fit: the same release with
 * {@code GenericAgentEnvironment.executeTool} renamed and another version in its manifest, as a release that moved
 * the call would look to the agent.
 */
class KoogModuleTest {

    static final String RESHAPED = "1.1.1-reshaped";
    static final String ENVIRONMENT_CLASS = "ai/koog/agents/core/environment/GenericAgentEnvironment.class";

    @TempDir
    Path dir;

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
        Path reshaped = reshape(jarOf(ENVIRONMENT_CLASS), dir.resolve("agents-core-jvm-" + RESHAPED + ".jar"));
        List<URL> path = new ArrayList<>(List.of(reshaped.toUri().toURL()));
        for (String other : List.of("ai/koog/prompt/message/MessagePart.class", "ai/koog/agents/core/tools/ToolBase.class",
                "ai/koog/serialization/JSONObject.class", "ai/koog/prompt/llm/LLModel.class",
                "kotlin/coroutines/Continuation.class")) {
            path.add(jarOf(other).toUri().toURL());
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

    /** The jar on the test's class path that holds {@code resource}. */
    private static Path jarOf(String resource) throws URISyntaxException {
        String url = ClassLoader.getSystemResource(resource).toString();
        return Path.of(new java.net.URI(url.substring("jar:".length(), url.indexOf("!/"))));
    }

    /**
     * A copy of Koog's agents-core jar whose {@code GenericAgentEnvironment.executeTool} is named
     * {@code executeTooX} and whose manifest says {@value #RESHAPED}: the method's name is the one constant-pool entry
     * {@code executeTool} (tag 1, length 11) of that class, renamed to another of the same length.
     */
    static Path reshape(Path koog, Path target) throws IOException {
        byte[] name = {1, 0, 11, 'e', 'x', 'e', 'c', 'u', 't', 'e', 'T', 'o', 'o', 'l'};
        try (JarFile in = new JarFile(koog.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().equals(ENVIRONMENT_CLASS)) {
                    int at = indexOf(bytes, name);
                    assertThat(at).as("the name executeTool in GenericAgentEnvironment's constant pool").isNotNegative();
                    bytes[at + name.length - 1] = 'X';
                } else if (entry.getName().equals("META-INF/MANIFEST.MF")) {
                    bytes = new String(bytes, StandardCharsets.UTF_8)
                            .replaceAll("(?m)^Implementation-Version: .*$", "Implementation-Version: " + RESHAPED)
                            .getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new JarEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        return target;
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }
}
