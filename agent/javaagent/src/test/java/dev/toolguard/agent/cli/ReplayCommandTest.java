package dev.toolguard.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.BundleLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.toolguard.agent.cli.CliRun.resource;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code replay} on the command line (SPEC §11, §17): the report's forms, {@code --fail-on} and the exit codes. */
class ReplayCommandTest {

    private static final Path REFUNDS = resource("/cli/refunds/policy.yaml");

    @TempDir
    static Path dir;
    static Path log;
    static Path tighter;

    /** Three refunds by a support_l1 user recorded under the refunds policy: 150 and 50 allowed, 500 denied. */
    @BeforeAll
    static void recordADay() throws Exception {
        log = dir.resolve("audit.jsonl");
        PolicyEngine engine = new PolicyEngine(BundleLoader.load(List.of(REFUNDS.toString())).bundle());
        try (AuditLog audit = AuditLog.open(AuditConfig.toFile(log.toString()).withCheckpointEvery(Duration.ZERO),
                Map.of("agent", "test"))) {
            int id = 0;
            for (int amount : new int[] {150, 50, 500}) {
                ToolCall call = new ToolCall("issue_refund", Map.of("customer_id", "c1", "amount", amount),
                        Map.of("user", Map.of("id", "u1", "roles", List.of("support_l1")), "tenant", "acme"));
                audit.decision("c" + (++id), call, "com.acme.Refunds#issueRefund(String,int)", engine.decide(call));
            }
        }
        tighter = dir.resolve("tighter.yaml");
        Files.writeString(tighter, Files.readString(REFUNDS).replace("args.amount <= 200", "args.amount <= 100")
                .replace("golden-1", "golden-2"));
    }

    @Test
    void theRecordingBundleLeavesEveryDecisionUnchangedAndExits0() {
        CliRun run = CliRun.of("replay", log.toString(), "--policy", REFUNDS.toString(), "--fail-on",
                "allow-to-deny,deny-to-allow");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines().get(0)).startsWith("replay of 3 decisions from " + log + " under refunds golden-1 sha256:");
        assertThat(run.lastOutLine()).isEqualTo("unchanged 3, allow->deny 0, deny->allow 0, other 0, undecidable 0");
    }

    @Test
    void aTighterCandidateListsTheFlippedCallGroupedByToolAndRule() {
        CliRun run = CliRun.of("replay", log.toString(), "--policy", tighter.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "",
                "issue_refund",
                "  tools.issue_refund.rules[0] -> tools.issue_refund.rules[3]",
                lines.get(4).replaceFirst("^    \\S+ ", "    " + timeOf(lines.get(4)) + " "),
                "",
                "unchanged 2, allow->deny 1, deny->allow 0, other 0, undecidable 0");
        assertThat(lines.get(4)).matches("    \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z issue_refund user u1: "
                + "allow -> deny \\[tools.issue_refund.rules\\[0] -> tools.issue_refund.rules\\[3]] "
                + "refund amount not allowed for your role \\(" + Pattern.quote(log.toString()) + ":2\\)");
    }

    private static String timeOf(String line) {
        return line.trim().split(" ")[0];
    }

    @Test
    void failOnExitsOneOnlyForTheChangesItNames() {
        CliRun flips = CliRun.of("replay", log.toString(), "--policy", tighter.toString(), "--fail-on", "allow-to-deny");
        CliRun other = CliRun.of("replay", log.toString(), "--policy", tighter.toString(), "--fail-on", "deny-to-allow");

        assertThat(flips.exitCode()).isEqualTo(1);
        assertThat(other.exitCode()).isZero();
    }

    @Test
    void aCandidateOfSeveralFilesIsGivenAfterOnePolicyOption() throws Exception {
        Path extra = dir.resolve("extra.yaml");
        Files.writeString(extra, "apiVersion: toolguard.dev/v1\nkind: Policy\ntools:\n  lookup: {action: allow}\n");

        CliRun run = CliRun.of("replay", log.toString(), "--policy", tighter.toString(), extra.toString(),
                "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"allow-to-deny\":1");
    }

    @Test
    void jsonCarriesTheSameCountsAndEachChangedCall() throws Exception {
        CliRun run = CliRun.of("replay", log.toString(), "--policy", tighter.toString(), "--format", "json");

        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.get("decisions").asLong()).isEqualTo(3);
        assertThat(report.get("counts").toString())
                .isEqualTo("{\"unchanged\":2,\"allow-to-deny\":1,\"deny-to-allow\":0,\"other\":0,\"undecidable\":0}");
        JsonNode change = report.get("changed").get(0);
        assertThat(change.get("tool").asText()).isEqualTo("issue_refund");
        assertThat(change.get("user").asText()).isEqualTo("u1");
        assertThat(change.get("old_rule").asText()).isEqualTo("tools.issue_refund.rules[0]");
        assertThat(change.get("new_rule").asText()).isEqualTo("tools.issue_refund.rules[3]");
        assertThat(change.get("new_reason").asText()).isEqualTo("refund amount not allowed for your role");
    }

    @Test
    void htmlIsOneSelfContainedPageWithTheSameCountsAsTheText() throws Exception {
        Path html = dir.resolve("report.html");
        CliRun run = CliRun.of("replay", log.toString(), "--policy", tighter.toString(), "--format", "html",
                "--out", html.toString());
        CliRun text = CliRun.of("replay", log.toString(), "--policy", tighter.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly("wrote " + html, text.lastOutLine());
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("<script").doesNotContain("src=")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<link")
                .contains("refund amount not allowed for your role");
        assertThat(htmlCounts(page)).isEqualTo(Map.of("unchanged", 2L, "allow-to-deny", 1L, "deny-to-allow", 0L,
                "other", 0L, "undecidable", 0L));
    }

    /** The counts table of a replay report: {@code <tr ... data-change="x">...<td class="count">n</td>}. */
    static Map<String, Long> htmlCounts(String page) {
        Matcher m = Pattern.compile("data-change=\"([a-z-]+)\"><th scope=\"row\">[^<]*</th><td class=\"count\">(\\d+)</td>")
                .matcher(page);
        Map<String, Long> counts = new LinkedHashMap<>();
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return counts;
    }

    @Test
    void anAuditLogThatCannotBeReadIsBadInputExit2() {
        CliRun run = CliRun.of("replay", dir.resolve("nope.jsonl").toString(), "--policy", REFUNDS.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read audit log " + dir.resolve("nope.jsonl"));
    }

    @Test
    void aFileThatIsNotAnAuditLogIsBadInputNamingFileAndLine() throws Exception {
        Path notes = dir.resolve("notes.jsonl");
        Files.writeString(notes, Files.readAllLines(log).get(0) + "\n{\"type\":\"decision\",\"ts\":\"x\"}\n");

        CliRun run = CliRun.of("replay", notes.toString(), "--policy", REFUNDS.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(notes + ":2: the decision record has no \"tool\"");
    }

    @Test
    void aCandidateThatDoesNotLoadIsBadInputWithItsErrors() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "apiVersion: toolguard.dev/v1\nkind: Policy\ntools:\n  x: {acton: allow}\n");

        CliRun run = CliRun.of("replay", log.toString(), "--policy", broken.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(broken + ":4:").contains("the candidate bundle does not load");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void unknownFailOnWordsFormatsAndAMissingPolicyAreBadUsage() {
        assertThat(CliRun.of("replay", log.toString(), "--policy", REFUNDS.toString(), "--fail-on", "any").exitCode())
                .isEqualTo(2);
        assertThat(CliRun.of("replay", log.toString(), "--policy", REFUNDS.toString(), "--format", "pdf").exitCode())
                .isEqualTo(2);
        CliRun noPolicy = CliRun.of("replay", log.toString());
        assertThat(noPolicy.exitCode()).isEqualTo(2);
        assertThat(noPolicy.err()).contains("missing option '--policy'");
    }

    @Test
    void helpDescribesTheCommand() {
        CliRun run = CliRun.of("replay", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: java -jar toolguard-agent.jar replay <audit.jsonl>... --policy <candidate>...")
                .contains("--fail-on").contains("undecidable (redacted: /args/password)");
    }
}
