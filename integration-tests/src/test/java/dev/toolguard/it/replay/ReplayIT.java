package dev.toolguard.it.replay;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.browser.Browser;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §17 end to end: the plain-java sample records its calls under the shaded agent, then {@code replay} re-decides
 * the log under a tightened candidate and reports exactly the calls that flip, with the old and the new rule. The
 * candidate also rate-limits CRM reads, so bob's read is denied and, the session history replaying in order, his later
 * email no longer follows a read: the sequence that denied it does not fire. The HTML report is kept under
 * {@code target/replay-report/} for the browser test.
 */
class ReplayIT {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.sample.dir"));
    static final Path DOCS = Path.of(System.getProperty("toolguard.it.docs.dir"));
    /** Where the HTML report is kept for a browser to open (integration-tests/target/replay-report/replay.html). */
    static final Path REPORT_COPY = Path.of(System.getProperty("toolguard.it.test.classes"))
            .getParent().resolve("replay-report").resolve("replay.html");

    @TempDir
    static Path dir;
    static Path audit;
    static Path candidate;
    static AgentProcess.CliResult text;
    static AgentProcess.CliResult html;

    @BeforeAll
    static void recordTheSampleThenReplayItUnderATighterPolicy() throws Exception {
        audit = dir.resolve("audit.jsonl");
        AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + audit)
                .main("dev.toolguard.sample.support.SupportAgent", SAMPLE.resolve("target/sample-plain-java.jar"))
                .run();
        assertThat(app.exitCode()).as(app.stderr()).isZero();

        // the candidate of docs/replay.md's worked example: the sample's policies, tightened in three places
        candidate = DOCS.resolve("examples/replay/candidate");

        text = AgentProcess.cli(dir, "replay", audit.toString(), "--policy", candidate.toString(),
                "--fail-on", "allow-to-deny");
        Path report = dir.resolve("replay.html");
        html = AgentProcess.cli(dir, "replay", audit.toString(), "--policy", candidate.toString(), "--format", "html",
                "--out", report.toString());
        Files.createDirectories(REPORT_COPY.getParent());
        Files.copy(report, REPORT_COPY, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void theReportListsExactlyTheCallsThatFlipWithOldAndNewRule() {
        List<String> changed = text.output().lines().filter(l -> l.startsWith("    ")).map(ReplayIT::withoutTime).toList();

        assertThat(changed).containsExactlyInAnyOrder(
                "crm.read_account user bob: allow -> deny [tools.crm.read_account.rules[0] -> tools.crm.read_account.rate_limit]"
                        + " rate limit reached: at most 1 call per 1h",
                "crm.update_account user bob: allow -> deny [tools.crm.update_account.rules[0] -> tools.crm.update_account.rules[1]]"
                        + " only the tier and the name of an account may be changed by an agent",
                "email.send_external user bob: deny -> allow [sequences.no-crm-exfiltration -> tools.email.send_external.rules[0]]"
                        + " allowed by tools.email.send_external.rules[0]",
                "issue_refund user alice: allow -> deny [tools.issue_refund.rules[0] -> tools.issue_refund.rules[3]]"
                        + " refund amount not allowed for your role");
        assertThat(text.output().lines().toList())
                .contains("unchanged 9, allow->deny 3, deny->allow 1, other 0, undecidable 0");
    }

    /** {@code    2026-…Z tool user u: …  (file:line)} without the time and the place, which differ per run. */
    private static String withoutTime(String line) {
        return line.trim().replaceFirst("^\\S+ ", "").replaceFirst(" \\(\\S+:\\d+\\)$", "");
    }

    @Test
    void anAllowToDenyFlipFailsTheRunWithFailOn() {
        assertThat(text.exitCode()).as(text.output()).isEqualTo(1);
    }

    @Test
    void theHtmlReportIsOneSelfContainedPageWithTheSameCounts() throws Exception {
        assertThat(html.exitCode()).as(html.output()).isZero();
        String page = read(REPORT_COPY);
        assertThat(page).doesNotContain("<script").doesNotContain("src=").doesNotContain("<link")
                .doesNotContain("http://").doesNotContain("https://");
        Matcher m = Pattern.compile("data-change=\"([a-z-]+)\"><th scope=\"row\">[^<]*</th><td class=\"count\">(\\d+)</td>")
                .matcher(page);
        Map<String, Long> counts = new LinkedHashMap<>();
        while (m.find()) {
            counts.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertThat(counts).containsExactly(Map.entry("unchanged", 9L), Map.entry("allow-to-deny", 3L),
                Map.entry("deny-to-allow", 1L), Map.entry("other", 0L), Map.entry("undecidable", 0L));
    }

    @Test
    void theHtmlReportOpensInABrowserAndShowsTheSameCounts() throws Exception {
        // once, in the JDK 17 pass: the report is a file, the same bytes whichever JVM wrote it
        String java = System.getProperty("toolguard.it.java");
        Assumptions.assumeTrue(java == null || java.isBlank() || Path.of(java).equals(AgentProcess.JAVA_17),
                "the browser check runs in the JDK 17 pass only");
        assertThat(html.exitCode()).as(html.output()).isZero();
        try (Browser browser = Browser.start()) { // reported skipped, never passed, without chromium
            browser.driver().get(REPORT_COPY.toUri().toString());
            Map<String, Long> shown = new LinkedHashMap<>();
            for (WebElement row : browser.driver().findElements(By.cssSelector("tr[data-change]"))) {
                shown.put(row.getAttribute("data-change"),
                        Long.parseLong(row.findElement(By.cssSelector("td.count")).getText().trim()));
            }
            assertThat(shown).containsExactly(Map.entry("unchanged", 9L), Map.entry("allow-to-deny", 3L),
                    Map.entry("deny-to-allow", 1L), Map.entry("other", 0L), Map.entry("undecidable", 0L));
        }
    }
}
