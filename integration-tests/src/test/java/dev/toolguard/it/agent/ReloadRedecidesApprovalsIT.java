package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §10: a reload re-decides calls waiting for approval. A freeze ({@code forbid}) added while a request waits
 * holds even when an approver then says yes: the tool never runs, the request is cancelled, and the decision record
 * credits the bundle that forbids.
 */
class ReloadRedecidesApprovalsIT {

    @Test
    void aForbidAddedWhileARequestWaitsHoldsWhenTheApproverThenSaysYes(@TempDir Path dir) throws Exception {
        try (ApprovalDesk desk = ApprovalDesk.start(dir)) {
            desk.app.send("f1 wait_refund c-f1 5000");
            String id = desk.admin.awaitPending("c-f1").path("id").asText();
            Path policy = desk.scenario.dir.resolve("policies/approvals.yaml");

            desk.scenario.write("policies/approvals.yaml", Files.readString(policy)
                    .replace("version: \"it-1\"", "version: \"it-2\"")
                    .replace("tools:\n", "forbid:\n  - tools: [wait_refund]\n    reason: refunds are frozen\ntools:\n"));
            await().atMost(Duration.ofSeconds(30)).until(() -> AuditFile.ofType(desk.scenario.audit(), "policy").stream()
                    .anyMatch(p -> p.toString().contains("it-2")));
            HttpResponse<String> approval = desk.adminAs("alice").post("/approvals/" + id,
                    "{\"decision\":\"approve\",\"by\":\"alice\",\"reason\":\"ok\"}");

            await().atMost(Duration.ofSeconds(30)).until(() -> desk.app.stdoutLines().stream().anyMatch(l -> l.startsWith("call f1: ")));
            assertThat(desk.app.stdoutLines()).contains("call f1: denied rule=forbid[0] message=Denied by policy approvals:"
                    + " refunds are frozen [forbid[0]]");
            assertThat(desk.app.stdoutLines()).noneMatch(l -> l.startsWith("body ran wait_refund"));
            // the reload got there first (cancelled), or the approval did and the waiting call looked at the reload first
            assertThat(approval.statusCode() == 200 || approval.body().contains("cancelled")).as(approval.body()).isTrue();

            List<JsonNode> records = AuditFile.ofType(desk.scenario.audit(), "approval").stream()
                    .filter(r -> r.path("id").asText().equals(id)).toList();
            JsonNode decision = AuditFile.ofType(desk.scenario.audit(), "decision").stream()
                    .filter(d -> d.path("id").asText().equals(records.get(0).path("call").asText())).findFirst().orElseThrow();
            assertThat(decision.path("action").asText()).isEqualTo("deny");
            assertThat(decision.path("rule").asText()).isEqualTo("forbid[0]");
            assertThat(decision.path("policy").path("version").asText()).isEqualTo("it-2");
            if (approval.statusCode() != 200) {
                assertThat(records).extracting(r -> r.path("event").asText()).containsExactly("requested", "cancelled");
                assertThat(records.get(1).path("reason").asText()).contains("the policy was reloaded", "deny by forbid[0]");
            }
        }
    }
}
