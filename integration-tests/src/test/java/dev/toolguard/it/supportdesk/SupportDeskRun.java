package dev.toolguard.it.supportdesk;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A support desk sample (the same two employees and nine questions on every framework) run once in a forked
 * JVM under the real agent, and what its output says: for each question, the requests its scripted model
 * received (tools offered, tool results), the tool bodies that ran and the assistant's answer.
 */
public final class SupportDeskRun {

    public final AgentProcess app;
    public final Path audit;
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

    /** Runs a sample's main class on the given class path under the agent, with the given config. */
    public static SupportDeskRun run(Path dir, Path config, String main, Path... classpath)
            throws IOException, InterruptedException {
        Path audit = dir.resolve("audit.jsonl");
        AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + config + ",audit=" + audit)
                .main(main, classpath)
                .run();
        return new SupportDeskRun(app, audit);
    }

    /** The output of the n-th question (from 1): its heading, the model's requests and replies, the answer. */
    public List<String> question(int n) {
        assertThat(questions).as("questions in the sample's output:\n%s\nstderr:\n%s", app.stdout(), app.stderr())
                .hasSizeGreaterThanOrEqualTo(n);
        return questions.get(n - 1);
    }

    /** The tools offered in request {@code n.k}: the k-th request the framework sent the model for question n. */
    public String toolsOffered(int n, int k) {
        return find(n, "  model <- request " + n + "." + k + ": tools=")
                .orElseThrow(() -> new AssertionError("no request " + n + "." + k + " in " + question(n)));
    }

    /** The tool result the model received in request {@code n.k}, as {@code <tool>: <text>}. */
    public String resultReceived(int n, int k) {
        return find(n, "  model <- request " + n + "." + k + ": result of ")
                .orElseThrow(() -> new AssertionError("no tool result in request " + n + "." + k + " in " + question(n)));
    }

    /**
     * What each run of a tool's body said while question n was answered: the rest of its line after
     * {@code "  tool <tool> ran"} (a sample may say there on which thread).
     */
    public List<String> bodyRuns(int n, String tool) {
        String prefix = "  tool " + tool + " ran";
        return question(n).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
    }

    public String answer(int n) {
        return find(n, "  assistant: ").orElseThrow(() -> new AssertionError("no answer to question " + n + " in " + question(n)));
    }

    private Optional<String> find(int n, String prefix) {
        return question(n).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }
}
