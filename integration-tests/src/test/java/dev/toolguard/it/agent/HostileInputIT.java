package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.HostileArgumentsApp;
import dev.toolguard.it.agent.apps.PingLoopApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §13.9 in a forked JVM: oversized policies are refused fast on reload, arguments past a bound deny. */
class HostileInputIT {

    private static final String TOOLS = """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: hostile, version: "1"}
            tools:
              store: {action: allow}
              annotate: {action: allow}
              ping: {action: allow}
            """;

    @TempDir
    Path dir;

    private static List<JsonNode> decisions(Scenario s) {
        return AuditFile.ofType(s.audit(), "decision");
    }

    @Test
    void argumentsPastTheirBoundsAreDeniedNamingWhereTheyStoppedAndTheBodyNeverRuns() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/hostile.yaml", TOOLS);
        AgentProcess app = s.app().agentOptions("config=" + s.config("")).main(HostileArgumentsApp.class).run();

        List<String> out = app.stdoutLines();
        assertThat(out).contains("items within: stored", "note within: annotated", "done");
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("items past: denied")
                .contains("argument /items/100000 cannot be read").contains("arguments.max_items"));
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("note past: denied")
                .contains("argument /note cannot be read").contains("arguments.max_string"));
        assertThat(out.stream().filter(l -> l.startsWith("body ran"))).containsExactly(
                "body ran store 100000", "body ran annotate 1048576");
        assertThat(decisions(s)).anySatisfy(d -> {
            assertThat(d.path("tool").asText()).isEqualTo("store");
            assertThat(d.path("action").asText()).isEqualTo("deny");
            assertThat(d.path("field").asText()).isEqualTo("/items/100000");
        });
        assertThat(decisions(s)).anySatisfy(d -> {
            assertThat(d.path("tool").asText()).isEqualTo("annotate");
            assertThat(d.path("action").asText()).isEqualTo("deny");
            assertThat(d.path("field").asText()).isEqualTo("/note");
        });
    }

    @Test
    void configuredArgumentBoundsApply() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/hostile.yaml", TOOLS);
        Path config = s.config("arguments:\n  max_items: 10\n  max_string: 2000000\n");
        AgentProcess app = s.app().agentOptions("config=" + config).main(HostileArgumentsApp.class).run();

        List<String> out = app.stdoutLines();
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("items within: denied").contains("/items/10 "));
        assertThat(out).contains("note within: annotated", "note past: annotated");
    }

    @Test
    void anOversizedPolicyIsRefusedOnReloadWithinASecondAndTheLastGoodKeepsDeciding() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        Path config = s.config("");
        try (AgentProcess app = s.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", "1000").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !decisions(s).isEmpty());

            Path tmp = s.file("big.tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                w.write(PingPolicy.version(2, "deny") + "forbid:\n");
                for (int i = 0; i < 1_500_000; i++) { // about 50 MB
                    w.write("  - {tools: [\"t" + i + "\"], reason: p}\n");
                }
            }
            Files.move(tmp, s.file("policies/ping.yaml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Instant changed = Instant.now();

            await().atMost(Duration.ofSeconds(5)).until(() -> AuditFile.ofType(s.audit(), "policy").stream()
                    .anyMatch(p -> p.path("event").asText().equals("rejected")));
            assertThat(Duration.between(changed, Instant.now())).isLessThan(Duration.ofSeconds(2));
            JsonNode rejected = AuditFile.ofType(s.audit(), "policy").stream()
                    .filter(p -> p.path("event").asText().equals("rejected")).findFirst().orElseThrow();
            assertThat(rejected.path("errors").toString()).contains("ping.yaml:1:1").contains("policy.max_bytes");
            assertThat(app.stderr()).contains("policy.max_bytes (4194304 bytes)");
            long before = decisions(s).size();
            await().atMost(Duration.ofSeconds(10)).until(() -> decisions(s).size() > before + 10);
            List<JsonNode> now = decisions(s);
            JsonNode last = now.get(now.size() - 1);
            assertThat(last.path("policy").path("version").asText()).isEqualTo("v1");
            assertThat(last.path("action").asText()).isEqualTo("allow");
        }
    }
}
