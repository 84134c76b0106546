package dev.toolguard.it.langchain4j;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The LangChain4j sample run once in a forked JVM under the real agent, and what its output says: for each
 * question, the requests its scripted model received (tools offered, tool results), the tool bodies that ran
 * and the assistant's answer.
 */
final class SupportDeskRun {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.langchain4j.sample.dir"));
    static final Path SAMPLE_JAR = SAMPLE.resolve("target/sample-langchain4j-support.jar");
    static final String MAIN = "dev.toolguard.sample.langchain4j.SupportDesk";
    static final String NEWEST_VERSION = System.getProperty("toolguard.it.langchain4j.version");
    static final String OLDEST_VERSION = System.getProperty("toolguard.it.langchain4j.oldest.version");
    static final Path OLDEST_JARS = Path.of(System.getProperty("toolguard.it.langchain4j.oldest.dir"));

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

    /** Runs the sample as built, on the newest LangChain4j, with the given agent config. */
    static SupportDeskRun onNewest(Path dir, Path config) throws IOException, InterruptedException {
        return run(dir, config, SAMPLE_JAR);
    }

    /**
     * Runs the same compiled sample with LangChain4j's two jars of the oldest claimed version in place of the
     * newest ones; its other dependencies are the same on both.
     */
    static SupportDeskRun onOldest(Path dir, Path config) throws IOException, InterruptedException {
        List<Path> cp = new ArrayList<>();
        // the classes, not the jar: the jar's manifest would put the newest LangChain4j on the class path too
        cp.add(SAMPLE.resolve("target/classes"));
        for (Path lib : manifestClassPath()) {
            if (!lib.getFileName().toString().startsWith("langchain4j")) {
                cp.add(lib);
            }
        }
        try (Stream<Path> jars = Files.list(OLDEST_JARS)) {
            List<Path> oldest = jars.filter(p -> p.toString().endsWith("-" + OLDEST_VERSION + ".jar")).sorted().toList();
            assertThat(oldest).as("LangChain4j %s jars in %s", OLDEST_VERSION, OLDEST_JARS).hasSize(2);
            cp.addAll(oldest);
        }
        return run(dir, config, cp.toArray(Path[]::new));
    }

    private static SupportDeskRun run(Path dir, Path config, Path... classpath) throws IOException, InterruptedException {
        Path audit = dir.resolve("audit.jsonl");
        AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + config + ",audit=" + audit)
                .main(MAIN, classpath)
                .run();
        return new SupportDeskRun(app, audit);
    }

    /** The jars the sample jar's manifest puts on its class path: LangChain4j and its dependencies. */
    static List<Path> manifestClassPath() {
        try (JarFile jar = new JarFile(SAMPLE_JAR.toFile())) {
            String entries = jar.getManifest().getMainAttributes().getValue("Class-Path");
            return Stream.of(entries.trim().split("\\s+")).map(e -> SAMPLE_JAR.resolveSibling(e)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The output of the n-th question (from 1): its heading, the model's requests and replies, the answer. */
    List<String> question(int n) {
        assertThat(questions).as("questions in the sample's output:\n%s\nstderr:\n%s", app.stdout(), app.stderr())
                .hasSizeGreaterThanOrEqualTo(n);
        return questions.get(n - 1);
    }

    /** The tools offered in request {@code n.k}: the k-th request LangChain4j sent the model for question n. */
    String toolsOffered(int n, int k) {
        return find(n, "  model <- request " + n + "." + k + ": tools=")
                .orElseThrow(() -> new AssertionError("no request " + n + "." + k + " in " + question(n)));
    }

    /** The tool result the model received in request {@code n.k}, as {@code <tool>: <text>}. */
    String resultReceived(int n, int k) {
        return find(n, "  model <- request " + n + "." + k + ": result of ")
                .orElseThrow(() -> new AssertionError("no tool result in request " + n + "." + k + " in " + question(n)));
    }

    /** How often a tool's body ran while question n was answered. */
    long bodyRuns(int n, String tool) {
        return question(n).stream().filter(l -> l.startsWith("  tool " + tool + " ran: ")).count();
    }

    String answer(int n) {
        return find(n, "  assistant: ").orElseThrow(() -> new AssertionError("no answer to question " + n + " in " + question(n)));
    }

    private Optional<String> find(int n, String prefix) {
        return question(n).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst();
    }
}
