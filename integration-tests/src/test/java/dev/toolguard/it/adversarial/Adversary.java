package dev.toolguard.it.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adversarial suite's policy and its reading of the evidence. The policy allows {@code ping}, denies
 * {@code wipe} and denies everything else by default, so a call decided under a wrong tool name is told apart
 * by its rule ({@code default}). Every tool body in the apps prints {@code body ran <tool> <path>} first.
 */
final class Adversary {

    static final String DENY_RULE = "tools.wipe.rules[0]";
    static final String DENY_REASON = "wiping is never allowed";

    private Adversary() {
    }

    /** Writes the policy and a config, returns the config's path. */
    static Path policy(Scenario s) throws IOException {
        s.write("policies/tools.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: adversary, version: "adv-1"}
                default: deny
                tools:
                  ping:
                    action: allow
                  wipe:
                    action: deny
                    reason: %s
                """.formatted(DENY_REASON));
        return s.config("");
    }

    /** The paths whose body of {@code tool} ran, once per run, in order. */
    static List<String> bodyRuns(AgentProcess app, String tool) {
        String prefix = "body ran " + tool + " ";
        return app.stdoutLines().stream().filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()).split(" ")[0]).toList();
    }

    /** The decision records of {@code tool} whose {@code path} argument is {@code path}. */
    static List<JsonNode> decisions(Scenario s, String tool, String path) {
        return AuditFile.ofType(s.audit(), "decision").stream()
                .filter(d -> tool.equals(d.path("tool").asText()) && path.equals(d.path("args").path("path").asText()))
                .toList();
    }

    /** A scenario of its own under {@code dir} for the run of {@code tool} (wipe or ping). */
    static Scenario scenario(Path dir, String tool) throws IOException {
        return new Scenario(java.nio.file.Files.createDirectories(dir.resolve(tool)));
    }

    /** The app of {@code s} run with the adversary's policy and {@code tool} (wipe or ping) as its argument. */
    static AgentProcess run(Scenario s, Class<?> app, String tool) throws Exception {
        return s.app().agentOptions("config=" + policy(s)).main(app, tool).run();
    }

    /**
     * What every two-run adversarial IT checks at the end: both apps (denied wipe, allowed ping) ran to the end,
     * and every body that ran was allowed by a record.
     */
    static void assertBothRanToTheEndAndEveryBodyWasAllowed(AgentProcess wipe, Scenario denied, AgentProcess ping,
                                                            Scenario allowed) {
        assertThat(wipe.stdoutLines()).last().isEqualTo("done");
        assertThat(ping.stdoutLines()).last().isEqualTo("done");
        assertEveryBodyRunWasAllowedByARecord(wipe, denied);
        assertEveryBodyRunWasAllowedByARecord(ping, allowed);
    }

    /**
     * SPEC §13.1 from the outside: each time a body ran, an allowing decision record for that tool and path was
     * written (the record comes first by contract; here it is enough that there are at least as many).
     */
    static void assertEveryBodyRunWasAllowedByARecord(AgentProcess app, Scenario s) {
        List<JsonNode> decisions = AuditFile.ofType(s.audit(), "decision");
        for (String tool : List.of("ping", "wipe")) {
            Map<String, Long> ran = bodyRuns(app, tool).stream()
                    .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
            ran.forEach((path, times) -> {
                long allowed = decisions.stream().filter(d -> tool.equals(d.path("tool").asText())
                        && path.equals(d.path("args").path("path").asText())
                        && "allow".equals(d.path("action").asText())).count();
                assertThat(allowed).as("the body of %s ran %d time(s) via %s; allowing decision records", tool, times, path)
                        .isGreaterThanOrEqualTo(times);
            });
        }
    }
}
