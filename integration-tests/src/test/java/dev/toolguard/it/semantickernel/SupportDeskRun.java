package dev.toolguard.it.semantickernel;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Semantic Kernel sample run once in a forked JVM under the real agent, and what its output says: for each
 * question, the requests its scripted OpenAI endpoint received (tools offered, tool results), the tool bodies
 * that ran and the assistant's answer.
 */
final class SupportDeskRun {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.semantic-kernel.sample.dir"));
    static final String MAIN = "dev.toolguard.sample.semantickernel.SupportDesk";
    static final Path NEWEST_JAR = Path.of(System.getProperty("toolguard.it.semantic-kernel.jar"));
    static final String NEWEST_VERSION = System.getProperty("toolguard.it.semantic-kernel.version");
    static final Path OLDEST_JAR = Path.of(System.getProperty("toolguard.it.semantic-kernel-1.0.jar"));
    static final String OLDEST_VERSION = System.getProperty("toolguard.it.semantic-kernel.oldest.version");

    final AgentProcess app;
    final Path audit;
    private final List<List<String>> questions = new ArrayList<>();

    private SupportDeskRun(AgentProcess app, Path audit) {
        this.app = app;
        this.audit = audit;
        for (String line : app.stdoutLines()) {
            if (line.startsWith("[")) {
                questions.add(new ArrayList<>());
            }
            if (!questions.isEmpty()) {
                questions.get(questions.size() - 1).add(line);
            }
        }
    }

    /** Runs the sample jar (its manifest brings its Semantic Kernel) under the agent with the given config. */
    static SupportDeskRun run(Path dir, Path config, Path sampleJar) throws IOException, InterruptedException {
        Path audit = dir.resolve("audit.jsonl");
        AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + config + ",audit=" + audit)
                .main(MAIN, sampleJar)
                .run();
        return new SupportDeskRun(app, audit);
    }

    /** The output of the n-th question (from 1): its heading, the model's requests and replies, the answer. */
    List<String> question(int n) {
        assertThat(questions).as("questions in the sample's output:\n%s\nstderr:\n%s", app.stdout(), app.stderr())
                .hasSizeGreaterThanOrEqualTo(n);
        return questions.get(n - 1);
    }

    /** The tools offered in request {@code n.k}: the k-th request the kernel sent the model for question n. */
    String toolsOffered(int n, int k) {
        return find(n, "  model <- request " + n + "." + k + ": tools=")
                .orElseThrow(() -> new AssertionError("no request " + n + "." + k + " in " + question(n)));
    }

    /** The tool result the model received in request {@code n.k}, as {@code <tool>: <text>}. */
    String resultReceived(int n, int k) {
        return find(n, "  model <- request " + n + "." + k + ": result of ")
                .orElseThrow(() -> new AssertionError("no tool result in request " + n + "." + k + " in " + question(n)));
    }

    /** The lines saying a tool's body ran while question n was answered: {@code <thread kind>: <result>}. */
    List<String> bodyRuns(int n, String tool) {
        String prefix = "  tool " + tool + " ran on ";
        return question(n).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    String answer(int n) {
        return find(n, "  assistant: ").orElseThrow(() -> new AssertionError("no answer to question " + n + " in " + question(n)));
    }

    private Optional<String> find(int n, String prefix) {
        return question(n).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }
}
