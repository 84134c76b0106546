package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.LimitRaceApp;
import dev.toolguard.it.agent.apps.SharedStateApp;
import dev.toolguard.policy.state.redis.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §14 across JVMs with the shaded agent, against a real Redis server the test starts: replicas share limits,
 * budgets and session history exactly; a stopped store is met with {@code on_unavailable}, each switch audited;
 * counting resumes within 2 s of Redis answering again; a stateless tool never reaches Redis.
 */
class SharedStateIT {

    @TempDir
    Path dir;
    RedisServer redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private Scenario replica(String name, String policy, String onUnavailable) throws Exception {
        Scenario s = new Scenario(dir.resolve(name));
        s.policy(policy);
        s.config("""
                state:
                  store: redis
                  redis: {url: "%s", prefix: "it:", timeout: 1s}
                  on_unavailable: %s
                """.formatted(redis.url(), onUnavailable));
        return s;
    }

    private AgentProcess interactive(Scenario s) throws Exception {
        AgentProcess p = s.app().agentOptions("config=" + s.file("toolguard.yaml")).main(SharedStateApp.class).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> p.stdoutLines().contains("ready"));
        return p;
    }

    /** Sends one line and returns the app's answer to it. */
    private static String ask(AgentProcess p, String line) throws Exception {
        int before = p.stdoutLines().size();
        p.send(line);
        String prefix = line.substring(0, line.lastIndexOf(' ')) + ": ";
        await().atMost(Duration.ofSeconds(20)).until(() -> p.stdoutLines().size() > before
                && p.stdoutLines().get(p.stdoutLines().size() - 1).startsWith(prefix));
        List<String> lines = p.stdoutLines();
        return lines.get(lines.size() - 1).substring(prefix.length());
    }

    private static int bodies(AgentProcess p, String tool) {
        Pattern bodies = Pattern.compile(Pattern.quote(tool) + ": bodies=(\\d+) .*");
        for (String line : p.stdoutLines()) {
            Matcher m = bodies.matcher(line);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no line for " + tool + " in " + p.stdoutLines() + "\n" + p.stderr());
    }

    @Test
    void threeJvmsOfEightThreadsShareOneRateLimitAndOneBudgetExactly() throws Exception {
        List<AgentProcess> jvms = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Scenario s = replica("jvm" + i, "limits.yaml", "deny");
            jvms.add(s.app().agentOptions("config=" + s.file("toolguard.yaml"))
                    .main(LimitRaceApp.class, "8", "10").start());
        }
        for (AgentProcess p : jvms) {
            p.waitFor(Duration.ofSeconds(60));
        }
        assertThat(jvms.stream().mapToInt(p -> bodies(p, "send_sms")).sum()).isEqualTo(20);
        assertThat(jvms.stream().mapToInt(p -> bodies(p, "issue_refund")).sum()).isEqualTo(3);
        // limit lists (a tier's entry, a bundle-level limit across tools) hold across the JVMs too
        assertThat(jvms.stream().mapToInt(p -> bodies(p, "read_file background")).sum()).isEqualTo(10);
        assertThat(jvms.stream().mapToInt(p -> bodies(p, "read_file interactive")).sum()).isEqualTo(30);
        assertThat(jvms.stream().mapToInt(p -> bodies(p, "files.*")).sum()).isEqualTo(12);
        for (AgentProcess p : jvms) {
            p.assertNoAdviceFailures();
        }
    }

    @Test
    void aSequenceSeesAToolAllowedOnAnotherJvmAndAStatelessToolMakesNoRedisCommand() throws Exception {
        AgentProcess a = interactive(replica("a", "shared-state.yaml", "deny"));
        AgentProcess b = interactive(replica("b", "shared-state.yaml", "deny"));

        assertThat(ask(a, "crm.read_contact s1 1")).isEqualTo("allowed=1 denied={}");
        assertThat(ask(b, "email.send_external s1 1"))
                .isEqualTo("allowed=0 denied={sequences.no-crm-exfiltration=1}");
        assertThat(ask(b, "email.send_external s2 1")).isEqualTo("allowed=1 denied={}");

        // SPEC §14: a stateless tool makes no Redis command at all. The fleet view's feed (SPEC §16) publishes only
        // while some console is viewed, and none is here: nothing reaches Redis, during the calls or after them
        long before = redis.allCalls();
        assertThat(ask(b, "lookup s1 25")).isEqualTo("allowed=25 denied={}");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> redis.allCalls() == before);
        assertThat(redis.calls("xadd")).isZero(); // and no decision of this run went to the fleet view's stream
        long evalsBefore = redis.calls("evalsha");
        assertThat(ask(b, "send_sms s1 1")).isEqualTo("allowed=1 denied={}");
        assertThat(redis.calls("evalsha")).isEqualTo(evalsBefore + 1); // a limited call: one round trip
    }

    @Test
    void withDenyAStoppedRedisDeniesTheCallsThatNeedItOthersRunAndCountingResumesWithin2s() throws Exception {
        Scenario s = replica("deny", "shared-state.yaml", "deny");
        AgentProcess p = interactive(s);
        assertThat(ask(p, "send_sms s1 5")).isEqualTo("allowed=5 denied={}");

        redis.stop();
        assertThat(ask(p, "send_sms s1 3")).isEqualTo("allowed=0 denied={state_unavailable=3}");
        assertThat(ask(p, "email.send_external s1 1")).isEqualTo("allowed=0 denied={state_unavailable=1}");
        assertThat(ask(p, "lookup s1 2")).isEqualTo("allowed=2 denied={}");

        redis.restart();
        await().atMost(Duration.ofSeconds(2)).until(() -> stateEvents(s).size() == 3);
        assertThat(ask(p, "send_sms s1 30")).isEqualTo("allowed=15 denied={tools.send_sms.rate_limit=15}");
        assertThat(stateEvents(s)).containsExactly("available", "unavailable", "available");
        assertThat(AuditFile.ofType(s.audit(), "decision")).filteredOn(d -> d.path("rule").asText()
                .equals("state_unavailable")).hasSize(4).allSatisfy(d -> assertThat(d.path("reason").asText())
                .isEqualTo("the shared state store does not answer, and this call needs it"));
    }

    @Test
    void withLocalAStoppedRedisDecidesInMemoryRecordsItAndNoCallIsChargedTwice() throws Exception {
        Scenario s = replica("local", "shared-state.yaml", "local");
        AgentProcess p = interactive(s);
        assertThat(ask(p, "send_sms s1 5")).isEqualTo("allowed=5 denied={}");

        redis.stop();
        assertThat(ask(p, "send_sms s1 3")).isEqualTo("allowed=3 denied={}");
        List<JsonNode> local = AuditFile.ofType(s.audit(), "decision").stream()
                .filter(d -> d.path("state").asText().equals("local")).toList();
        assertThat(local).hasSize(3).allSatisfy(d -> assertThat(d.path("action").asText()).isEqualTo("allow"));

        redis.restart();
        await().atMost(Duration.ofSeconds(2)).until(() -> stateEvents(s).size() == 3);
        // Redis counted 5; the 3 decided locally were charged only in this process's memory
        assertThat(ask(p, "send_sms s1 30")).isEqualTo("allowed=15 denied={tools.send_sms.rate_limit=15}");
        assertThat(stateEvents(s)).containsExactly("available", "unavailable", "available");
        p.assertNoAdviceFailures();
    }

    @Test
    void theRedisClientIsLoadedOnlyWhenARedisStoreIsConfigured() throws Exception {
        Scenario memory = new Scenario(dir.resolve("memory"));
        memory.policy("shared-state.yaml");
        memory.config("");
        Scenario shared = replica("shared", "shared-state.yaml", "deny");
        for (Scenario s : List.of(memory, shared)) {
            AgentProcess p = s.app().agentOptions("config=" + s.file("toolguard.yaml"))
                    .jvmArg("-Xlog:class+load=info:file=" + s.file("classes.txt")).main(SharedStateApp.class).start();
            await().atMost(Duration.ofSeconds(30)).until(() -> p.stdoutLines().contains("ready"));
            assertThat(ask(p, "send_sms s1 2")).isEqualTo("allowed=2 denied={}");
            p.send("quit");
            p.waitFor(Duration.ofSeconds(30));
        }
        assertThat(java.nio.file.Files.readString(memory.file("classes.txt")))
                .doesNotContain("dev.toolguard.shaded.redis").doesNotContain("RedisSharedState");
        assertThat(java.nio.file.Files.readString(shared.file("classes.txt")))
                .contains("dev.toolguard.shaded.redis.clients.jedis.");
    }

    private static List<String> stateEvents(Scenario s) {
        return AuditFile.ofType(s.audit(), "state").stream().map(r -> r.path("event").asText()).toList();
    }
}
