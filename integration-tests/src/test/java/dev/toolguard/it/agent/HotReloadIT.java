package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.PingLoopApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §10 against a running app: changes decide within one poll, broken bundles change nothing. */
class HotReloadIT {

    private static final Duration RELOAD = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private static List<JsonNode> loaded(Scenario s) {
        return AuditFile.ofType(s.audit(), "policy").stream()
                .filter(p -> p.path("event").asText().equals("loaded")).toList();
    }

    private static JsonNode lastDecision(Scenario s) {
        List<JsonNode> d = AuditFile.ofType(s.audit(), "decision");
        return d.isEmpty() ? null : d.get(d.size() - 1);
    }

    @Test
    void aChangedPolicyDecidesWithinOneReloadIntervalAndASecond() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        Path config = s.config("");
        try (AgentProcess app = s.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", "1000").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lastDecision(s) != null);

            s.write("policies/ping.yaml", PingPolicy.version(2, "deny"));
            Instant changed = Instant.now();

            await().atMost(RELOAD.plusSeconds(1)).until(() -> {
                JsonNode d = lastDecision(s);
                return d != null && d.path("policy").path("version").asText().equals("v2");
            });
            assertThat(Duration.between(changed, Instant.now())).isLessThanOrEqualTo(RELOAD.plusSeconds(1));
            assertThat(lastDecision(s).path("action").asText()).isEqualTo("deny");
            // said right after the swap, so the first decision under v2 may be written before the line is
            await().atMost(Duration.ofSeconds(5)).until(() -> app.stderr().contains("policy reloaded"));
        }
    }

    @Test
    void aBrokenPolicyKeepsTheLastGoodDecidingAndIsAudited() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        Path config = s.config("");
        try (AgentProcess app = s.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", "1000").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lastDecision(s) != null);

            s.write("policies/ping.yaml", PingPolicy.version(2, "deny").replace("rules:", "rulez:"));

            await().atMost(RELOAD.plusSeconds(5)).until(() -> AuditFile.ofType(s.audit(), "policy").stream()
                    .anyMatch(p -> p.path("event").asText().equals("rejected")));
            JsonNode rejected = AuditFile.ofType(s.audit(), "policy").stream()
                    .filter(p -> p.path("event").asText().equals("rejected")).findFirst().orElseThrow();
            assertThat(rejected.path("errors").toString()).contains("ping.yaml").contains("rulez");
            assertThat(app.stderr()).contains("rulez");
            long before = AuditFile.ofType(s.audit(), "decision").size();
            await().atMost(Duration.ofSeconds(10)).until(() -> AuditFile.ofType(s.audit(), "decision").size() > before + 100);
            assertThat(lastDecision(s).path("policy").path("version").asText()).isEqualTo("v1");
            assertThat(lastDecision(s).path("action").asText()).isEqualTo("allow");

            s.write("policies/ping.yaml", PingPolicy.version(3, "deny"));
            await().atMost(RELOAD.plusSeconds(5)).until(() -> "v3".equals(lastDecision(s).path("policy").path("version").asText()));
        }
    }

    @Test
    void aBrokenEditPutBackAsItWasClearsTheErrorInGetPolicyAndSaysSo() throws Exception {
        Scenario s = new Scenario(dir);
        String good = PingPolicy.version(1, "allow");
        s.write("policies/ping.yaml", good);
        String token = java.util.UUID.randomUUID().toString();
        Path config = s.config("admin:\n  listen: 127.0.0.1:0\n");
        try (AgentProcess app = s.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .main(PingLoopApp.class, s.file("markers.txt").toString(), "1", "1000").start()) {
            AdminClient admin = AdminClient.of(app, token);
            await().atMost(Duration.ofSeconds(30)).until(() -> lastDecision(s) != null);

            s.write("policies/ping.yaml", good.replace("rules:", "rulez:"));
            await().atMost(RELOAD.plusSeconds(5)).until(() ->
                    !AdminClient.parse(admin.get("/policy").body()).path("last_error").isNull());
            assertThat(AdminClient.parse(admin.get("/policy").body()).path("last_error").asText()).contains("rulez");

            s.write("policies/ping.yaml", good); // the very content that still decides
            await().atMost(RELOAD.plusSeconds(5)).until(() ->
                    AdminClient.parse(admin.get("/policy").body()).path("last_error").isNull());
            // said right after the error is cleared, so it may follow the answer above
            await().atMost(Duration.ofSeconds(5)).until(() -> app.stderrLines().stream().anyMatch(l -> l.startsWith(
                    "toolguard: policy error cleared: the sources load again, as ping version v1 sha256 ")
                    && l.endsWith(", which still decides")));
            assertThat(loaded(s)).hasSize(1); // nothing new was loaded: the same bundle decides throughout
        }
    }

    @Test
    void underEightCallingThreadsAndFiftyReloadsEveryDecisionIsByExactlyOneLoadedBundle() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/ping.yaml", PingPolicy.version(1, PingPolicy.actionOf(1)));
        Path config = s.write("toolguard.yaml", """
                policy: {sources: [policies/], reload: 20ms}
                audit: {file: audit.jsonl}
                """);
        try (AgentProcess app = s.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, s.file("markers.txt").toString(), "8", "500").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lastDecision(s) != null);
            for (int v = 2; v <= 51; v++) {
                s.write("policies/ping.yaml", PingPolicy.version(v, PingPolicy.actionOf(v)));
                long reloads = v - 1;
                // stderr is small where the audit log is not: count the reloads there while the threads call
                await().atMost(Duration.ofSeconds(10)).until(() -> app.stderrLines().stream()
                        .filter(l -> l.contains("policy reloaded")).count() >= reloads);
            }
            app.kill();
        }

        Map<String, Integer> versionBySha = new HashMap<>();
        for (JsonNode p : loaded(s)) {
            versionBySha.put(p.path("sha256").asText(), Integer.parseInt(p.path("version").asText().substring(1)));
        }
        assertThat(versionBySha).hasSize(51);
        List<JsonNode> decisions = AuditFile.ofType(s.audit(), "decision");
        assertThat(decisions).hasSizeGreaterThan(1000);
        assertThat(decisions).allSatisfy(d -> {
            String sha = d.path("policy").path("sha256").asText();
            assertThat(versionBySha).containsKey(sha);
            int version = versionBySha.get(sha);
            assertThat(d.path("policy").path("version").asText()).isEqualTo("v" + version);
            assertThat(d.path("action").asText()).isEqualTo(PingPolicy.actionOf(version));
        });
        assertThat(decisions.stream().map(d -> d.path("policy").path("sha256").asText()).distinct().count())
                .isGreaterThan(25);
    }
}
