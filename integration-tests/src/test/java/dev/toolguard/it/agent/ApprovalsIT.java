package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §5 approvals in a running app, decided through its real admin API (SPEC §12): a waiting call runs once
 * approved and is denied when rejected or when nobody decides in time; an approved ticket lets exactly one
 * identical call through. Every step is in the audit log. One app serves every test, each with calls of its own.
 */
class ApprovalsIT {

    private static final Pattern APPROVAL_ID = Pattern.compile("apr_[0-9a-f]{16}");

    @TempDir
    static Path dir;
    static ApprovalDesk desk;
    static Scenario scenario;
    static AgentProcess app;
    static AdminClient admin;

    @BeforeAll
    static void startTheApp() throws Exception {
        desk = ApprovalDesk.start(dir);
        scenario = desk.scenario;
        app = desk.app;
        admin = desk.admin;
    }

    @AfterAll
    static void stopTheApp() throws Exception {
        desk.close();
    }

    /** The line the app printed for the call labelled {@code label}, once it returned. */
    private static String outcomeOf(String label) {
        String[] line = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Optional<String> l = app.stdoutLines().stream().filter(s -> s.startsWith("call " + label + ": ")).findFirst();
            l.ifPresent(s -> line[0] = s);
            return l.isPresent();
        });
        return line[0];
    }

    private static List<JsonNode> approvalRecords(String id) {
        return AuditFile.ofType(scenario.audit(), "approval").stream().filter(r -> r.path("id").asText().equals(id)).toList();
    }

    private static JsonNode approvalRecord(String id, String event) {
        return approvalRecords(id).stream().filter(r -> r.path("event").asText().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " record for " + id + " in " + approvalRecords(id)));
    }

    private static JsonNode decisionRecord(String callId) {
        return AuditFile.ofType(scenario.audit(), "decision").stream().filter(d -> d.path("id").asText().equals(callId))
                .findFirst().orElseThrow(() -> new AssertionError("no decision record " + callId));
    }

    private static long bodiesRan(String tool, String customer) {
        return app.stdoutLines().stream().filter(l -> l.equals("body ran " + tool + " " + customer)).count();
    }

    /** Decides as {@code by}, with that user's own token. */
    private static String decide(String id, String decision, String by, String reason) throws Exception {
        HttpResponse<String> r = desk.adminAs(by).post("/approvals/" + id,
                "{\"decision\":\"" + decision + "\",\"by\":\"" + by + "\",\"reason\":\"" + reason + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aWaitingCallRunsOnceApprovedWithTheCommandLine() throws Exception {
        app.send("w1 wait_refund c-w1 5000");
        JsonNode pending = admin.awaitPending("c-w1");
        String id = pending.path("id").asText();
        assertThat(pending.path("status").asText()).isEqualTo("pending");
        assertThat(pending.path("mode").asText()).isEqualTo("wait");
        assertThat(pending.path("tool").asText()).isEqualTo("wait_refund");
        assertThat(pending.path("user").asText()).isEqualTo("u1");
        assertThat(app.stdout()).doesNotContain("call w1: ");

        AgentProcess.CliResult cli = AgentProcess.cli(dir, "approve", id, "--admin", admin.base,
                "--token", desk.userTokens.get("alice"), "--by", "alice", "--reason", "checked with finance");

        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(cli.output()).contains("approved " + id);
        assertThat(outcomeOf("w1")).isEqualTo("call w1: ok wait_refund 5000.0 for c-w1");
        assertThat(bodiesRan("wait_refund", "c-w1")).isEqualTo(1);
        JsonNode requested = approvalRecord(id, "requested");
        assertThat(requested.path("tool").asText()).isEqualTo("wait_refund");
        assertThat(requested.path("user").asText()).isEqualTo("u1");
        assertThat(requested.path("mode").asText()).isEqualTo("wait");
        JsonNode approved = approvalRecord(id, "approved");
        assertThat(approved.path("by").asText()).isEqualTo("alice");
        assertThat(approved.path("reason").asText()).isEqualTo("checked with finance");
        JsonNode decision = decisionRecord(requested.path("call").asText());
        assertThat(decision.path("action").asText()).isEqualTo("allow");
        assertThat(decision.path("rule").asText()).isEqualTo("tools.wait_refund.rules[1]");
        assertThat(decision.path("reason").asText()).isEqualTo("approved by alice (approval " + id + ")");
    }

    @Test
    void aWaitingCallRejectedOverHttpIsDeniedWithTheApproversReason() throws Exception {
        app.send("r1 wait_refund c-r1 5000");
        String id = admin.awaitPending("c-r1").path("id").asText();

        String answer = decide(id, "reject", "bob", "not this customer");

        assertThat(AdminClient.parse(answer).path("status").asText()).isEqualTo("rejected");
        assertThat(outcomeOf("r1")).isEqualTo("call r1: denied rule=tools.wait_refund.rules[1] message=Denied by policy"
                + " approvals: approval " + id + " was rejected by bob: not this customer [tools.wait_refund.rules[1]]");
        assertThat(bodiesRan("wait_refund", "c-r1")).isZero();
        JsonNode rejected = approvalRecord(id, "rejected");
        assertThat(rejected.path("by").asText()).isEqualTo("bob");
        assertThat(rejected.path("reason").asText()).isEqualTo("not this customer");
        JsonNode decision = decisionRecord(approvalRecord(id, "requested").path("call").asText());
        assertThat(decision.path("action").asText()).isEqualTo("deny");
        assertThat(decision.path("reason").asText()).isEqualTo("approval " + id + " was rejected by bob: not this customer");
    }

    @Test
    void aWaitingCallNobodyDecidesIsDeniedWhenItTimesOut() throws Exception {
        app.send("t1 quick_refund c-t1 10");

        String outcome = outcomeOf("t1");

        Matcher id = APPROVAL_ID.matcher(outcome);
        assertThat(id.find()).as(outcome).isTrue();
        assertThat(outcome).isEqualTo("call t1: denied rule=tools.quick_refund.rules[0] message=Denied by policy approvals:"
                + " approval " + id.group() + " timed out after 1s without a decision [tools.quick_refund.rules[0]]");
        assertThat(bodiesRan("quick_refund", "c-t1")).isZero();
        JsonNode timedOut = approvalRecord(id.group(), "timed_out");
        assertThat(timedOut.path("by").asText()).isEqualTo("on_timeout");
        assertThat(timedOut.path("reason").asText()).isEqualTo("deny");
        assertThat(desk.adminAs("alice").post("/approvals/" + id.group(), "{\"decision\":\"approve\",\"by\":\"alice\"}")
                .statusCode()).isEqualTo(409);
    }

    @Test
    void anApprovedTicketLetsExactlyOneIdenticalCallThrough() throws Exception {
        app.send("k1 ticket_refund c-k 3000");
        String first = outcomeOf("k1");
        Matcher m = APPROVAL_ID.matcher(first);
        assertThat(m.find()).as(first).isTrue();
        String id = m.group();
        assertThat(first).isEqualTo("call k1: denied rule=tools.ticket_refund.rules[0] message=Denied by policy approvals:"
                + " approval required: request " + id + " is pending; repeat this exact call once it is approved"
                + " (within 2m) [tools.ticket_refund.rules[0]]");

        decide(id, "approve", "carol", "one refund");
        app.send("k2 ticket_refund c-k 3000");
        assertThat(outcomeOf("k2")).isEqualTo("call k2: ok ticket_refund 3000.0 for c-k");
        app.send("k3 ticket_refund c-k 3000");
        String third = outcomeOf("k3");

        assertThat(third).startsWith("call k3: denied rule=tools.ticket_refund.rules[0]").contains("approval required")
                .doesNotContain(id);
        assertThat(bodiesRan("ticket_refund", "c-k")).isEqualTo(1);
        assertThat(approvalRecord(id, "approved").path("by").asText()).isEqualTo("carol");
        JsonNode used = approvalRecord(id, "used");
        JsonNode admitted = decisionRecord(used.path("call").asText());
        assertThat(admitted.path("action").asText()).isEqualTo("allow");
        assertThat(admitted.path("args").path("amount").asDouble()).isEqualTo(3000.0);
        assertThat(approvalRecords(id)).extracting(r -> r.path("event").asText())
                .containsExactly("requested", "approved", "used");
    }

    @Test
    void whoApprovedComesFromTheTokenAndAViewerOrAnotherNameIsRefused() throws Exception {
        app.send("n1 ticket_refund c-n 3100");
        Matcher m = APPROVAL_ID.matcher(outcomeOf("n1"));
        assertThat(m.find()).isTrue();
        String id = m.group();

        HttpResponse<String> byViewer = desk.adminAs("vera").post("/approvals/" + id, "{\"decision\":\"approve\"}");
        HttpResponse<String> posingAsAlice = desk.adminAs("bob").post("/approvals/" + id,
                "{\"decision\":\"approve\",\"by\":\"alice\"}");
        AgentProcess.CliResult cli = AgentProcess.cli(dir, "approve", id, "--admin", admin.base,
                "--token", desk.userTokens.get("carol"), "--reason", "carol checked");

        assertThat(byViewer.statusCode()).as(byViewer.body()).isEqualTo(403);
        assertThat(AdminClient.parse(byViewer.body()).path("error").asText()).contains("vera is a viewer");
        assertThat(posingAsAlice.statusCode()).as(posingAsAlice.body()).isEqualTo(403);
        assertThat(AdminClient.parse(posingAsAlice.body()).path("error").asText()).contains("\"by\" names alice");
        assertThat(cli.exitCode()).as(cli.output()).isZero();
        assertThat(approvalRecords(id)).extracting(r -> r.path("event").asText()).containsExactly("requested", "approved");
        assertThat(approvalRecord(id, "approved").path("by").asText()).isEqualTo("carol");
        assertThat(scenario.audit()).content().doesNotContain(desk.userTokens.get("carol"))
                .doesNotContain(desk.userTokens.get("bob"));
    }
}
