package dev.toolguard.it.springai;

import dev.toolguard.it.agent.AgentProcess;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Spring AI sample run under the agent, and the conversation it printed, turn by turn. */
public final class SampleRun {

    public static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.spring-ai.sample.dir"));
    public static final Path JAR_SPRING_AI_2_0 = Path.of(System.getProperty("toolguard.it.spring-ai.jar"));
    static final Path JAR_SPRING_AI_1_1 = Path.of(System.getProperty("toolguard.it.spring-ai-1.1.jar"));

    /** What {@code java -jar} runs for an executable Spring Boot jar: its manifest's Main-Class. */
    private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    /** A Spring Boot start under the agent on a busy machine takes a while; the run itself is quick. */
    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    private static final Pattern USER_LINE = Pattern.compile("^(alice|bob)> (.*)$");
    private static final String ANSWER = "assistant> ";

    private SampleRun() {
    }

    /** Runs the sample's executable jar to its end. */
    public static AgentProcess run(AgentProcess.Builder app, Path bootJar) throws IOException, InterruptedException {
        AgentProcess p = app.main(BOOT_LAUNCHER, bootJar).start();
        p.waitFor(TIMEOUT);
        return p;
    }

    /**
     * One user message and what followed: the requests the model received (the tools offered, the tool results
     * it read), the calls it proposed, the tool bodies that ran, and its answer.
     */
    record Turn(String user, String message, List<String> lines, String answer) {

        List<String> toolsOffered() {
            return after("  model received tools: ");
        }

        List<String> toolResults() {
            return after("  model received tool result ");
        }

        List<String> toolBodiesRun() {
            return after("  tool ran: ");
        }

        private List<String> after(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).toList();
        }
    }

    static List<Turn> turns(List<String> stdout) {
        List<Turn> turns = new ArrayList<>();
        String user = null;
        String message = null;
        List<String> lines = new ArrayList<>();
        for (String line : stdout) {
            Matcher m = USER_LINE.matcher(line);
            if (m.matches()) {
                user = m.group(1);
                message = m.group(2);
                lines = new ArrayList<>();
            } else if (user != null && line.startsWith(ANSWER)) {
                turns.add(new Turn(user, message, List.copyOf(lines), line.substring(ANSWER.length())));
                user = null;
            } else if (user != null) {
                lines.add(line);
            }
        }
        return turns;
    }
}
