package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.LimitRaceApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 step 8 in a running app: eight threads released together at a rate limit and at a budget get
 * exactly the calls the limits allow, counters are charged once per allowed call, and a rate limit keyed by the
 * arguments stops an agent repeating itself.
 */
class LimitsIT {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 10;

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("limits.yaml");
        Path config = scenario.config("");
        app = scenario.app().agentOptions("config=" + config)
                .main(LimitRaceApp.class, String.valueOf(THREADS), String.valueOf(CALLS_PER_THREAD)).run();
    }

    private static List<JsonNode> decisionsOf(String tool) {
        return AuditFile.ofType(scenario.audit(), "decision").stream()
                .filter(d -> d.path("tool").asText().equals(tool)).toList();
    }

    private static List<JsonNode> withAction(List<JsonNode> decisions, String action) {
        return decisions.stream().filter(d -> d.path("action").asText().equals(action)).toList();
    }

    @Test
    void eightThreadsRacingAtALimitOfTwentyPerHourRunTheBodyExactlyTwentyTimes() {
        assertThat(app.stdoutLines()).contains("send_sms: bodies=20 calls=80 denied={tools.send_sms.rate_limit=60}");
    }

    @Test
    void aTierConditionalLimitAndACrossToolLimitPerUserAreExactUnderEightRacingThreads() {
        // SPEC §14: 80 calls each; a background agent's user gets the tier's 10, an interactive one the 30 of all
        assertThat(app.stdoutLines()).contains(
                "read_file background: bodies=10 calls=80 denied={tools.read_file.rate_limit[1]=70}",
                "read_file interactive: bodies=30 calls=80 denied={tools.read_file.rate_limit[0]=50}",
                "files.*: bodies=12 calls=80 denied={limits[0]=68}");
    }

    @Test
    void theRateLimitRaceIsAuditedAsTwentyAllowsByTheRuleAndTheRestDeniedByTheLimit() {
        List<JsonNode> decisions = decisionsOf("send_sms");

        assertThat(decisions).hasSize(THREADS * CALLS_PER_THREAD);
        assertThat(withAction(decisions, "allow")).hasSize(20).allSatisfy(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("tools.send_sms.rules[0]");
            assertThat(d.path("enforced").asBoolean()).isTrue();
        });
        assertThat(withAction(decisions, "deny")).hasSize(60).allSatisfy(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("tools.send_sms.rate_limit");
            assertThat(d.path("reason").asText()).isEqualTo("rate limit reached: at most 20 calls per 1h");
        });
    }

    @Test
    void eightThreadsRacingForABudgetOfOneHundredAtThirtyEachRunTheBodyExactlyThreeTimes() {
        assertThat(app.stdoutLines()).contains("issue_refund: bodies=3 calls=80 denied={tools.issue_refund.budget=77}");
    }

    @Test
    void theBudgetRaceIsAuditedAsThreeAllowsByTheRuleAndTheRestDeniedByTheBudget() {
        List<JsonNode> decisions = decisionsOf("issue_refund");

        assertThat(decisions).hasSize(THREADS * CALLS_PER_THREAD);
        assertThat(withAction(decisions, "allow")).hasSize(3)
                .allSatisfy(d -> assertThat(d.path("rule").asText()).isEqualTo("tools.issue_refund.rules[0]"));
        assertThat(withAction(decisions, "deny")).hasSize(77).allSatisfy(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("tools.issue_refund.budget");
            assertThat(d.path("reason").asText())
                    .isEqualTo("budget exceeded: this call's cost of 30 would pass the limit of 100 per 1d");
        });
    }

    @Test
    void exactlyTheAllowedCallsHaveAnOutcomeRecord() {
        Set<String> allowed = AuditFile.ofType(scenario.audit(), "decision").stream()
                .filter(d -> d.path("action").asText().equals("allow"))
                .map(d -> d.path("id").asText()).collect(Collectors.toSet());
        Set<String> outcomes = AuditFile.ofType(scenario.audit(), "outcome").stream()
                .map(o -> o.path("id").asText()).collect(Collectors.toSet());

        assertThat(allowed).hasSize(20 + 3 + 4 + 10 + 30 + 12);
        assertThat(outcomes).isEqualTo(allowed);
    }

    @Test
    void aRateLimitKeyedByTheArgumentsStopsTheSameCallRepeatedInASession() {
        assertThat(app.stdoutLines()).filteredOn(l -> l.startsWith("search weather: ")).containsExactly(
                "search weather: ok results for weather",
                "search weather: ok results for weather",
                "search weather: ok results for weather",
                "search weather: denied rule=tools.search.web.rate_limit message=Denied by policy limits:"
                        + " rate limit reached: at most 3 calls per 10m [tools.search.web.rate_limit]");
        assertThat(app.stdoutLines()).filteredOn(l -> l.equals("body ran search weather")).hasSize(3);
        assertThat(withAction(decisionsOf("search.web"), "deny")).singleElement().satisfies(d -> {
            assertThat(d.path("args").path("query").asText()).isEqualTo("weather");
            assertThat(d.path("rule").asText()).isEqualTo("tools.search.web.rate_limit");
        });
    }

    @Test
    void aDifferentCallInTheSameSessionStillPasses() {
        assertThat(app.stdoutLines()).containsSubsequence("search weather: denied rule=tools.search.web.rate_limit"
                        + " message=Denied by policy limits: rate limit reached: at most 3 calls per 10m"
                        + " [tools.search.web.rate_limit]",
                "body ran search news", "search news: ok results for news");
    }

    @Test
    void theAppEndsNormally() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stdoutLines()).last().isEqualTo("done");
    }
}
