package dev.toolguard.it.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A forked JVM running one of the test apps with {@code -javaagent:} on the real agent jar, its standard output
 * and error captured to files in the scenario's directory.
 */
public final class AgentProcess implements AutoCloseable {

    public static final Path AGENT_JAR = Path.of(required("toolguard.it.agent.jar"));
    public static final Path API_JAR = Path.of(required("toolguard.it.api.jar"));
    public static final Path TEST_CLASSES = Path.of(required("toolguard.it.test.classes"));
    public static final Path JAVA_17 = Path.of(System.getProperty("java.home"), "bin", "java");
    public static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** The apps started since {@link AdviceFailuresChecked} last looked: it checks each after every test. */
    static final List<AgentProcess> STARTED = java.util.Collections.synchronizedList(new ArrayList<>());

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private AgentProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    public static final class Builder {
        private final Path dir;
        private Path java = JAVA_17;
        private String agentOptions;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private String mainClass;
        private Path agentJar = AGENT_JAR;
        private boolean withAgent = true;
        private String classpath = TEST_CLASSES + File.pathSeparator + API_JAR;

        private Builder(Path dir) {
            this.dir = dir;
        }

        public Builder java(Path java) {
            this.java = java;
            return this;
        }

        /** Starts the app as it runs today, without the agent (for attach). */
        public Builder withoutAgent() {
            this.withAgent = false;
            return this;
        }

        /** Runs another agent jar than the built one: a {@link FaultyAgent}'s. */
        public Builder agentJar(Path jar) {
            this.agentJar = jar;
            return this;
        }

        public Builder agentOptions(String options) {
            this.agentOptions = options;
            return this;
        }

        /** A JVM option such as {@code -Xss512k}, given before the class path. */
        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder main(Class<?> main, String... arguments) {
            this.mainClass = main.getName();
            args.addAll(List.of(arguments));
            return this;
        }

        /** Arguments for the main class, after those {@link #main(Class, String...)} gave. */
        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        /** Adds jars to the app's class path, e.g. the application's own SLF4J. */
        public Builder alsoOnClasspath(List<Path> jars) {
            StringBuilder cp = new StringBuilder(classpath);
            jars.forEach(j -> cp.append(File.pathSeparator).append(j));
            classpath = cp.toString();
            return this;
        }

        /** Runs a main class from other jars than the test apps (the API jar is always added). */
        public Builder main(String main, Path... jars) {
            this.mainClass = main;
            StringBuilder cp = new StringBuilder();
            for (Path jar : jars) {
                cp.append(jar).append(File.pathSeparator);
            }
            this.classpath = cp.append(API_JAR).toString();
            return this;
        }

        public AgentProcess start() throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(java.toString());
            if (withAgent) {
                cmd.add("-javaagent:" + agentJar + (agentOptions == null ? "" : "=" + agentOptions));
            }
            if (jvmArgs.stream().noneMatch(a -> a.startsWith("-XX:AOT"))) {
                cmd.add("-Xshare:auto"); // Java 25's AOT cache options refuse any -Xshare
            }
            cmd.addAll(jvmArgs);
            properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(mainClass);
            cmd.addAll(args);
            Path out = dir.resolve("stdout.txt");
            Path err = dir.resolve("stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TOOLGUARD_"));
            pb.environment().putAll(env);
            AgentProcess started = new AgentProcess(pb.start(), out, err);
            STARTED.add(started);
            return started;
        }

        /** Starts the app and waits for it to end on its own. */
        public AgentProcess run() throws IOException, InterruptedException {
            AgentProcess p = start();
            p.waitFor(Duration.ofSeconds(60));
            return p;
        }
    }

    /** Waits for the process to end; fails the test if it does not in time. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the app did not end within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public long pid() {
        return process.pid();
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** Writes one line to the app's standard input, for apps that take their calls from there. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: nothing in the process gets to run again. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    public List<String> stdoutLines() {
        return stdout().lines().toList();
    }

    /**
     * The lines of standard error, without the one warning JDK 17 itself prints whenever an agent appends to
     * the bootstrap class path while class data sharing is on (JDK 19 and later print nothing): it is the
     * JVM's line, not the agent's.
     */
    public List<String> stderrLines() {
        return stderr().lines().filter(l -> !l.startsWith(CDS_WARNING)).toList();
    }

    /** What the inlined advice prints when it failed and the guard could not say so any other way. */
    public static final String ADVICE_FAILED = "toolguard: advice failed";

    /**
     * Fails when the app's standard error holds an advice failure: one means a guarded call was neither
     * properly allowed nor properly denied, whatever else the test saw.
     */
    public void assertNoAdviceFailures() {
        List<String> failures = stderrLines().stream().filter(l -> l.contains(ADVICE_FAILED)).toList();
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " advice failure(s) on the app's standard error, the first: "
                    + failures.get(0));
        }
    }

    /**
     * For apps that make the advice or the guard fail on purpose: every failure is said on standard error, and each
     * site once (SPEC §13.1), however many calls failed there.
     */
    public void assertAdviceFailuresReportedOncePerSite() {
        List<String> sites = stderrLines().stream().filter(l -> l.contains(ADVICE_FAILED))
                .map(l -> l.substring(0, Math.max(0, l.indexOf(" (the call is denied)")))).toList();
        if (sites.size() != new java.util.HashSet<>(sites).size()) {
            throw new AssertionError("an advice failure site was reported more than once: " + sites);
        }
    }

    public static final String CDS_WARNING = "OpenJDK 64-Bit Server VM warning: Sharing is only supported for boot loader classes";

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
        }
        return v;
    }

    /** Jars of this test JVM's class path whose file names start with one of the prefixes. */
    public static List<Path> testClasspathJars(String... prefixes) {
        List<Path> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            for (String prefix : prefixes) {
                if (name.startsWith(prefix) && name.endsWith(".jar")) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The agent's CLI on the same jar: {@code java -jar toolguard-agent.jar <args>}. */
    public static CliResult cli(Path dir, String... args) throws IOException, InterruptedException {
        return cliOf(AGENT_JAR, dir, args);
    }

    /** {@link #cli} from the agent jar {@code agentJar} (a faulty copy, say), which {@code attach} then loads. */
    public static CliResult cliOf(Path agentJar, Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA_17.toString(), "-jar", agentJar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not end: " + cmd);
        }
        return new CliResult(p.exitValue(), Files.readString(out));
    }

    public record CliResult(int exitCode, String output) {
    }
}
