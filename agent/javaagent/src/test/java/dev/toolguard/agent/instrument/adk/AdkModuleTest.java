package dev.toolguard.agent.instrument.adk;

import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.Modules;
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
        Path reshaped = reshape(jarOf("com/google/adk/tools/FunctionTool.class"), dir.resolve("google-adk-" + RESHAPED + ".jar"));
        try (URLClassLoader app = new URLClassLoader(
                new URL[] {reshaped.toUri().toURL(), jarOf("io/reactivex/rxjava3/core/Single.class").toUri().toURL()}, null)) {

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

    /** The jar on the test's class path that holds {@code resource}. */
    private static Path jarOf(String resource) throws URISyntaxException {
        String url = ClassLoader.getSystemResource(resource).toString();
        return Path.of(new java.net.URI(url.substring("jar:".length(), url.indexOf("!/"))));
    }

    /**
     * A copy of the ADK jar whose {@code FunctionTool.runAsync} is named {@code runAsyncX} and whose
     * {@code pom.properties} says {@value #RESHAPED}: the method's name is the one constant-pool entry
     * {@code runAsync} (tag 1, length 8), renamed to another of the same length.
     */
    private static Path reshape(Path adk, Path target) throws IOException {
        byte[] name = {1, 0, 8, 'r', 'u', 'n', 'A', 's', 'y', 'n', 'c'};
        try (JarFile in = new JarFile(adk.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                if (entry.getName().equals("com/google/adk/tools/FunctionTool.class")) {
                    int at = indexOf(bytes, name);
                    assertThat(at).as("the name runAsync in FunctionTool's constant pool").isNotNegative();
                    bytes[at + name.length - 1] = 'X';
                } else if (entry.getName().equals("META-INF/maven/com.google.adk/google-adk/pom.properties")) {
                    bytes = new String(bytes, StandardCharsets.ISO_8859_1).replaceAll("(?m)^version=.*$", "version=" + RESHAPED)
                            .getBytes(StandardCharsets.ISO_8859_1);
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
