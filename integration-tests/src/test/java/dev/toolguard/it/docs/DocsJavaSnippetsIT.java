package dev.toolguard.it.docs;

import dev.toolguard.agent.docs.MarkdownBlocks;
import dev.toolguard.it.agent.AgentProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ToolGuard.runAs} snippets of README.md and docs/getting-started.md compile against the built API
 * jar as a user pastes them: as a method of their class, or as statements in a method that declares no
 * checked exception (a request handler, say).
 */
class DocsJavaSnippetsIT {

    static final Path DOCS = Path.of(System.getProperty("toolguard.it.docs.dir"));

    @TempDir
    Path dir;

    @Test
    void theRunAsSnippetsCompileWhereAUserPastesThem() throws IOException {
        List<String> snippets = new ArrayList<>();
        for (Path page : List.of(DOCS.getParent().resolve("README.md"), DOCS.resolve("getting-started.md"))) {
            MarkdownBlocks.of(page).in("java").stream().map(MarkdownBlocks.Block::text)
                    .filter(t -> t.contains("ToolGuard.runAs(")).forEach(snippets::add);
        }
        assertThat(snippets).hasSize(2);
        for (String snippet : snippets) {
            String asMembers = compile(snippet);
            String asStatements = asMembers == null ? null : compile("void handle() {\n" + snippet + "\n}\n");
            assertThat(asMembers == null || asStatements == null)
                    .as("the snippet\n" + snippet + "\ncompiles neither as a member:\n" + asMembers
                            + "\nnor as statements:\n" + asStatements).isTrue();
        }
    }

    /** Null when the class compiles, else the compiler's messages. */
    private String compile(String members) throws IOException {
        Path src = Files.createTempDirectory(dir, "snippet-").resolve("Snippet.java");
        Files.writeString(src, """
                import dev.toolguard.api.ToolGuard;
                import java.util.List;
                import java.util.Map;

                class Snippet {
                    interface Agent { String chat(String question); void run(String task); }
                    Agent agent;
                    String question = "refund c-1001?";
                    String task = "close ticket 7";
                %s
                }
                """.formatted(members));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int rc = javac.run(null, messages, messages, "-d", src.getParent().toString(),
                "-cp", AgentProcess.API_JAR.toString(), src.toString());
        return rc == 0 ? null : messages.toString();
    }
}
