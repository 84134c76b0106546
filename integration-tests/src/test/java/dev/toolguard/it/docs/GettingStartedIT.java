package dev.toolguard.it.docs;

import dev.toolguard.agent.docs.MarkdownBlocks;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * docs/getting-started.md followed literally: every command of its {@code bash} blocks is run, in order, by
 * {@code bash} in a copy of the parts of the repository it uses (the built jars, the plain-java sample), and
 * every output block it shows is found in what the commands printed.
 *
 * <ul>
 *   <li>The build of step 1 ({@code ./mvnw ...}) is the build running this test: the artifacts it names must
 *       exist, and the command itself is not run again.</li>
 *   <li>{@code /tmp/toolguard-try} is a directory of this test's own.</li>
 *   <li>A command that runs the sample with {@code --repeat} is the one the doc runs in a first terminal: it
 *       runs in the background while the next blocks run, and is stopped at the end.</li>
 *   <li>An output block (a fence without a language) shows lines printed by the command before it, or by the
 *       background sample: they must appear as consecutive lines of one stream (standard output or error),
 *       waited for while the sample runs. In it, {@code <...>} stands for any text (an id, a hash, a time).</li>
 * </ul>
 */
class GettingStartedIT {

    static final Path DOCS = Path.of(System.getProperty("toolguard.it.docs.dir"));

    private static final Path PAGE = DOCS.resolve("getting-started.md");
    private static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.sample.dir"));
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]*>");

    @TempDir
    Path root;

    private Process background;
    private Path backgroundOut;
    private Path backgroundErr;

    @AfterEach
    void stopTheSample() throws InterruptedException {
        if (background != null) {
            background.destroy();
            if (!background.waitFor(10, TimeUnit.SECONDS)) {
                background.destroyForcibly();
            }
        }
    }

    @Test
    void everyCommandGivesTheOutputTheDocShows() throws Exception {
        layOutTheRepository();
        Path tryDir = root.resolve("toolguard-try");
        List<MarkdownBlocks.Block> blocks = MarkdownBlocks.of(PAGE).blocks();
        assertThat(blocks.stream().filter(b -> b.language().equals("bash"))).hasSizeGreaterThanOrEqualTo(6);

        Output last = null;
        int commands = 0;
        int outputs = 0;
        for (MarkdownBlocks.Block block : blocks) {
            String text = block.text().replace("/tmp/toolguard-try", tryDir.toString());
            if (block.language().equals("bash")) {
                for (String command : commands(text)) {
                    last = run(command, block);
                    commands++;
                }
            } else if (block.language().isEmpty()) {
                assertThat(last).as("an output block before any command, at line " + block.line()).isNotNull();
                expectShown(text, last, block);
                outputs++;
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(9);
        assertThat(outputs).isGreaterThanOrEqualTo(7);
    }

    @Test
    void theSedOfStep6ChangesOnlyTheFirstLineSupportRuleAndKeepsTheManagersApproval() throws Exception {
        layOutTheRepository();
        String sed = MarkdownBlocks.of(PAGE).in("bash").stream().map(MarkdownBlocks.Block::text)
                .filter(t -> t.startsWith("sed") && t.contains("1000")).findFirst().orElseThrow();
        Path copy = root.resolve("toolguard-try");
        run("cp -r sample-apps/plain-java " + copy, null);
        Path policy = copy.resolve("policies/support-agent.yaml");
        List<String> before = Files.readAllLines(policy);

        run(sed.replace("/tmp/toolguard-try", copy.toString()), null);

        List<String> after = Files.readAllLines(policy);
        List<String> changed = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).equals(after.get(i))) {
                changed.add(before.get(i).strip() + "  ->  " + after.get(i).strip());
            }
        }
        assertThat(changed).containsExactly("- when: '\"support_l1\" in ctx.user.roles && args.amount <= 200'  ->  "
                + "- when: '\"support_l1\" in ctx.user.roles && args.amount <= 1000'");
        assertThat(after).contains("      - when: '\"manager\" in ctx.user.roles && args.amount <= 2000'");
    }

    @Test
    void theApiCoordinatesShownForMavenAndGradleAreTheOnesTheBuildInstalls() throws IOException {
        String pom = Files.readString(DOCS.getParent().resolve("agent/api/pom.xml"));
        String version = between(pom, "<version>", "</version>"); // the parent's, which the module inherits
        String groupId = between(pom, "<groupId>", "</groupId>");
        String artifactId = between(pom.substring(pom.indexOf("</parent>")), "<artifactId>", "</artifactId>");
        assertThat(AgentProcess.API_JAR.getFileName().toString()).isEqualTo(artifactId + "-" + version + ".jar");

        MarkdownBlocks page = MarkdownBlocks.of(PAGE);
        assertThat(page.in("xml")).anySatisfy(b -> assertThat(b.text())
                .contains("<groupId>" + groupId + "</groupId>", "<artifactId>" + artifactId + "</artifactId>",
                        "<version>" + version + "</version>"));
        assertThat(page.in("kotlin")).anySatisfy(b -> assertThat(b.text())
                .contains("mavenLocal()", "implementation(\"" + groupId + ":" + artifactId + ":" + version + "\")"));
        assertThat(page.in("bash")).first().extracting(MarkdownBlocks.Block::text).asString().contains(" install");
    }

    private static String between(String text, String open, String close) {
        int start = text.indexOf(open) + open.length();
        return text.substring(start, text.indexOf(close, start)).strip();
    }

    /** The built jars and the plain-java sample, where the doc's commands (run from the repository root) look. */
    private void layOutTheRepository() throws IOException {
        Path agent = root.resolve("agent/javaagent/target/toolguard-agent.jar");
        Path api = root.resolve("agent/api/target").resolve(AgentProcess.API_JAR.getFileName());
        Files.createDirectories(agent.getParent());
        Files.createDirectories(api.getParent());
        Files.createSymbolicLink(agent, AgentProcess.AGENT_JAR);
        Files.createSymbolicLink(api, AgentProcess.API_JAR);
        Path sample = root.resolve("sample-apps/plain-java");
        for (String part : List.of("policies", "demo", "toolguard.yaml", "rules.yaml", "target/sample-plain-java.jar")) {
            copy(SAMPLE.resolve(part), sample.resolve(part));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.walk(from)) {
                for (Path f : files.toList()) {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } else {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The commands of a bash block: continuation lines joined, comments and blank lines left out. */
    static List<String> commands(String block) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            if (current.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(current.append(line).toString().strip());
                current.setLength(0);
            }
        }
        return out;
    }

    /** What one command printed; for the background sample, what it has printed so far. */
    private record Output(String command, Path stdout, Path stderr) {
        List<List<String>> streams() throws IOException {
            return List.of(Files.readAllLines(stdout), Files.readAllLines(stderr));
        }
    }

    private Output run(String command, MarkdownBlocks.Block block) throws IOException, InterruptedException {
        if (command.startsWith("./mvnw ")) {
            // step 1 is the build that runs this test: what it produces must be there
            assertThat(AgentProcess.AGENT_JAR).isRegularFile();
            assertThat(AgentProcess.API_JAR).isRegularFile();
            assertThat(SAMPLE.resolve("target/sample-plain-java.jar")).isRegularFile();
            return null;
        }
        Path out = Files.createTempFile(root, "out-", ".txt");
        Path err = Files.createTempFile(root, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", (command.contains("--repeat") ? "exec " : "") + command)
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        // "java" on the PATH is the JVM the scenarios run on
        pb.environment().put("PATH", Scenario.java().getParent() + File.pathSeparator + System.getenv("PATH"));
        Process p = pb.start();
        if (command.contains("--repeat")) {
            background = p;
            backgroundOut = out;
            backgroundErr = err;
            // the doc's reader edits the policy in another terminal once the sample runs: the agent has then
            // loaded the policy, so that the edit is a change it reloads
            await().atMost(Duration.ofSeconds(30)).alias("the sample's start line on standard error")
                    .until(() -> Files.readString(err).contains(" started: "));
            return new Output(command, out, err);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end within 60 s: " + command);
        }
        assertThat(p.exitValue()).as("exit code of " + command + (block == null ? "" : " (line " + block.line() + ")")
                + "\nstdout:\n" + Files.readString(out) + "\nstderr:\n" + Files.readString(err)).isZero();
        return new Output(command, out, err);
    }

    /** The block's lines, consecutive, in one stream of the last command or of the background sample. */
    private void expectShown(String expectedText, Output last, MarkdownBlocks.Block block) {
        List<Pattern> expected = expectedText.lines().map(GettingStartedIT::linePattern).toList();
        List<Output> candidates = new ArrayList<>();
        if (last != null) {
            candidates.add(last);
        }
        if (background != null) {
            candidates.add(new Output("the sample running in the background", backgroundOut, backgroundErr));
        }
        await().atMost(Duration.ofSeconds(background != null ? 30 : 1)).pollInterval(Duration.ofMillis(200))
                .alias("the output block at line " + block.line() + " of getting-started.md:\n" + expectedText
                        + "\nin what " + candidates.stream().map(Output::command).toList() + " printed")
                .until(() -> {
                    for (Output o : candidates) {
                        for (List<String> stream : o.streams()) {
                            if (containsConsecutively(stream, expected)) {
                                return true;
                            }
                        }
                    }
                    return false;
                });
    }

    private static boolean containsConsecutively(List<String> lines, List<Pattern> expected) {
        for (int start = 0; start + expected.size() <= lines.size(); start++) {
            boolean all = true;
            for (int i = 0; i < expected.size() && all; i++) {
                all = expected.get(i).matcher(normalize(lines.get(start + i))).matches();
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** A line of an output block as a pattern: placeholders match anything, runs of spaces any run. */
    static Pattern linePattern(String line) {
        StringBuilder regex = new StringBuilder();
        var m = PLACEHOLDER.matcher(normalize(line));
        int at = 0;
        String text = normalize(line);
        while (m.find()) {
            regex.append(Pattern.quote(text.substring(at, m.start()))).append(".*?");
            at = m.end();
        }
        regex.append(Pattern.quote(text.substring(at)));
        return Pattern.compile(regex.toString());
    }

    private static String normalize(String line) {
        return line.strip().replaceAll("\\s+", " ");
    }
}
