package dev.toolguard.policy.approval;

import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.toolguard.policy.approval.Approvals.RULE;
import static dev.toolguard.policy.approval.Approvals.refund;
import static dev.toolguard.policy.approval.Approvals.ticket;
import static dev.toolguard.policy.approval.Approvals.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ApprovalServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    private final RecordingAudit audit = new RecordingAudit();
    private final AtomicInteger admitted = new AtomicInteger();
    private ApprovedCallAdmission admission = (call, approved) -> {
        admitted.incrementAndGet();
        return approved;
    };
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private ApprovalService service() {
        return ApprovalService.builder(audit, (call, approved) -> admission.admit(call, approved))
                .clock(clock).pollInterval(Duration.ofMillis(20)).build();
    }

    private Future<Decision> callInBackground(ApprovalService service, ToolCall call, Decision decision) {
        return callers.submit(() -> service.resolve("call-1", call, decision));
    }

    private static String onlyPendingId(ApprovalService service) {
        await().until(() -> service.pending().size() == 1);
        return service.pending().get(0).id();
    }

    @Test
    void aWaitingCallBlocksUntilApprovedAndIsThenAllowed() throws Exception {
        ApprovalService service = service();
        Future<Decision> result = callInBackground(service, refund(5000), waitFor());
        String id = onlyPendingId(service);

        assertThat(result).isNotDone();
        service.decide(id, true, "alice", "ok by phone");

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.ALLOW);
        assertThat(result.get().reason()).isEqualTo("approved by alice (approval " + id + ")");
        assertThat(result.get().rule()).isEqualTo(RULE);
    }

    @Test
    void anApprovedCallKeepsTheRevisionAndKeyOfTheSignedBundleThatAskedForItsRecord() throws Exception {
        ApprovalService service = service();
        Decision signed = new Decision(Action.REQUIRE_APPROVAL, true, "refunds over 2000 need a manager", RULE, null,
                "support-agent", "v1", "ab".repeat(32), 900, waitFor().approval(), List.of(), Decision.Origin.POLICY,
                new dev.toolguard.policy.load.BundleSignature(7, "f0bc83dcb404fbac"));
        Future<Decision> result = callInBackground(service, refund(5000), signed);

        service.decide(onlyPendingId(service), true, "alice", "ok");

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.ALLOW);
        assertThat(result.get().policySignature()).isEqualTo(new dev.toolguard.policy.load.BundleSignature(7,
                "f0bc83dcb404fbac"));
    }

    @Test
    void aWaitingCallIsSettledByTheAdmissionOfTheEngineThatAskedNotTheServicesDefault() throws Exception {
        ApprovalService service = service(); // its default admission admits everything
        ApprovedCallAdmission askingBundle = (call, approved) -> new Decision(Action.DENY, true,
                "rate limit reached under the bundle that asked", "tools.issue_refund.rate_limit", null, "p", "1", "s",
                0, null, List.of());
        Future<Decision> result = callers.submit(() -> service.resolve("call-1", refund(5000), waitFor(), askingBundle));
        String id = onlyPendingId(service);

        service.decide(id, true, "alice", "ok");

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.DENY);
        assertThat(result.get().reason()).isEqualTo("rate limit reached under the bundle that asked");
        assertThat(admitted).hasValue(0);
    }

    private static final Decision FROZEN = new Decision(Action.DENY, true, "refunds are frozen", "forbid[0]", null,
            "support-agent", "2", "sha-2", 0, null, List.of());

    @Test
    void aReloadThatNoLongerAsksDecidesTheWaitingCallAtOnceAndCancelsItsRequest() throws Exception {
        ApprovalService service = service();
        AtomicReference<Decision> loaded = new AtomicReference<>();
        Future<Decision> result = callers.submit(() -> service.resolve("call-1", refund(5000), waitFor(), admission,
                (call, asked) -> loaded.get()));
        String id = onlyPendingId(service);

        loaded.set(FROZEN);
        service.reconsiderWaiting();

        await().until(result::isDone);
        assertThat(result.get()).isSameAs(FROZEN);
        assertThat(service.pending()).isEmpty();
        assertThat(service.find(id).orElseThrow().status()).isEqualTo(Approval.Status.CANCELLED);
        assertThat(audit.last("cancelled").reason()).contains("the policy was reloaded", "deny by forbid[0]");
    }

    @Test
    void anApprovalGrantedAfterAReloadThatForbidsDoesNotLetTheCallRun() throws Exception {
        ApprovalService service = service();
        AtomicReference<Decision> loaded = new AtomicReference<>();
        Future<Decision> result = callers.submit(() -> service.resolve("call-1", refund(5000), waitFor(), admission,
                (call, asked) -> loaded.get()));
        String id = onlyPendingId(service);

        loaded.set(FROZEN); // reloaded, and the approver answers before the waiting call has looked
        service.decide(id, true, "alice", "ok");

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.DENY);
        assertThat(result.get().policyVersion()).isEqualTo("2");
        assertThat(admitted).hasValue(0);
    }

    @Test
    void aRejectedWaitingCallIsDeniedWithTheApproversReason() throws Exception {
        ApprovalService service = service();
        Future<Decision> result = callInBackground(service, refund(5000), waitFor());
        String id = onlyPendingId(service);

        service.decide(id, false, "bob", "too much");

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.DENY);
        assertThat(result.get().reason()).isEqualTo("approval " + id + " was rejected by bob: too much");
        assertThat(admitted).hasValue(0);
    }

    @Test
    void aWaitingCallThatTimesOutGetsOnTimeoutDeny() throws Exception {
        ApprovalService service = service();
        Future<Decision> result = callInBackground(service, refund(5000), waitFor());
        onlyPendingId(service);

        clock.advance(Duration.ofMinutes(10));

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.DENY);
        assertThat(result.get().reason()).contains("timed out after 10m");
        assertThat(audit.approvalEvents()).containsExactly("requested", "timed_out");
    }

    @Test
    void aWaitingCallThatTimesOutWithOnTimeoutAllowIsAdmitted() throws Exception {
        ApprovalService service = service();
        Future<Decision> result = callInBackground(service, refund(5000),
                Approvals.requireApproval(ApprovalSpec.Mode.WAIT, Action.ALLOW));
        onlyPendingId(service);

        clock.advance(Duration.ofMinutes(11));
        service.expireOverdue();

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.ALLOW);
        assertThat(admitted).hasValue(1);
    }

    @Test
    void anApprovedCallStillHasToPassTheLimits() throws Exception {
        admission = (call, approved) -> new Decision(Action.DENY, true, "rate limit reached",
                "tools.issue_refund.rate_limit", null, approved.policyName(), approved.policyVersion(),
                approved.policySha256(), 0, null, List.of());
        ApprovalService service = service();
        Future<Decision> result = callInBackground(service, refund(5000), waitFor());

        service.decide(onlyPendingId(service), true, "alice", null);

        await().until(result::isDone);
        assertThat(result.get().action()).isEqualTo(Action.DENY);
        assertThat(result.get().rule()).isEqualTo("tools.issue_refund.rate_limit");
    }

    @Test
    void anAdmittedCallKeepsTheReasonNamingItsApprover() throws Exception {
        admission = (call, approved) -> new Decision(Action.ALLOW, true, "approved by a person", approved.rule(), null,
                approved.policyName(), approved.policyVersion(), approved.policySha256(), 5, null, List.of());
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        String id = service.pending().get(0).id();
        service.decide(id, true, "alice", null);

        Decision d = service.resolve("call-2", refund(5000), ticket());

        assertThat(d.action()).isEqualTo(Action.ALLOW);
        assertThat(d.reason()).isEqualTo("approved by alice (approval " + id + ")");
        assertThat(d.latencyNanos()).isEqualTo(5);
    }

    @Test
    void aTicketCallIsDeniedAtOnceNamingTheApproval() throws Exception {
        ApprovalService service = service();

        Decision d = service.resolve("call-1", refund(5000), ticket());

        String id = service.pending().get(0).id();
        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).contains(id).contains("pending");
        assertThat(d.rule()).isEqualTo(RULE);
    }

    @Test
    void anApprovedTicketAllowsTheFirstIdenticalCallExactlyOnce() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        String id = service.pending().get(0).id();
        service.decide(id, true, "alice", null);

        Decision first = service.resolve("call-2", refund(5000), ticket());
        Decision second = service.resolve("call-3", refund(5000), ticket());

        assertThat(first.action()).isEqualTo(Action.ALLOW);
        assertThat(second.action()).isEqualTo(Action.DENY);
        assertThat(second.reason()).doesNotContain(id);
        assertThat(admitted).hasValue(1);
        assertThat(audit.last("used").callId()).isEqualTo("call-2");
    }

    @Test
    void aTicketDoesNotAdmitOtherArgumentsOrAnotherUser() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000, "u1"), ticket());
        service.decide(service.pending().get(0).id(), true, "alice", null);

        assertThat(service.resolve("call-2", refund(5001, "u1"), ticket()).action()).isEqualTo(Action.DENY);
        assertThat(service.resolve("call-3", refund(5000, "u2"), ticket()).action()).isEqualTo(Action.DENY);
        assertThat(service.resolve("call-4", refund(5000, "u1"), ticket()).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aCallWithoutAUserIdCanNeitherOpenNorRedeemATicket() throws Exception {
        ApprovalService service = service();
        ToolCall anonymous = new ToolCall("issue_refund", Map.of("customer_id", "c1", "amount", 5000), Map.of("tenant", "acme"));

        Decision opened = service.resolve("call-1", anonymous, ticket());

        assertThat(opened.action()).isEqualTo(Action.DENY);
        assertThat(opened.reason()).contains("a ticket needs ctx.user.id");
        assertThat(service.pending()).isEmpty();

        // a ticket approved for a user literally named "null" is not the anonymous caller's either
        service.resolve("call-2", refund(5000, "null"), ticket());
        service.decide(service.pending().get(0).id(), true, "alice", null);
        assertThat(service.resolve("call-3", anonymous, ticket()).action()).isEqualTo(Action.DENY);
        assertThat(admitted).hasValue(0);
        assertThat(service.resolve("call-4", refund(5000, "null"), ticket()).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void ticketArgumentsCompareAsCanonicalJson() throws Exception {
        ApprovalService service = service();
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("x", 1);
        inner.put("y", "z");
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("y", "z");
        reordered.put("x", 1L);
        ToolCall asked = new ToolCall("issue_refund", Map.of("amount", 200, "meta", inner), Map.of("user", Map.of("id", "u1")));
        ToolCall retried = new ToolCall("issue_refund", Map.of("amount", 200.0, "meta", reordered), Map.of("user", Map.of("id", "u1")));
        service.resolve("call-1", asked, ticket());
        service.decide(service.pending().get(0).id(), true, "alice", null);

        assertThat(service.resolve("call-2", retried, ticket()).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aTicketForAnAmountDoesNotAdmitAnExactDecimalJustAboveIt() throws Exception {
        ApprovalService service = service();
        Map<String, Object> user = Map.of("user", Map.of("id", "u1"));
        service.resolve("call-1", new ToolCall("issue_refund", Map.of("amount", 200), user), ticket());
        service.decide(service.pending().get(0).id(), true, "alice", null);

        ToolCall above = new ToolCall("issue_refund", Map.of("amount", new java.math.BigDecimal("200.0000000000000001")), user);
        ToolCall same = new ToolCall("issue_refund", Map.of("amount", new java.math.BigDecimal("200.00")), user);

        assertThat(service.resolve("call-2", above, ticket()).action()).isNotEqualTo(Action.ALLOW);
        assertThat(service.resolve("call-3", same, ticket()).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void anApprovedTicketLapsesTimeoutAfterTheApproval() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        service.decide(service.pending().get(0).id(), true, "alice", null);

        clock.advance(Duration.ofMinutes(10));

        assertThat(service.resolve("call-2", refund(5000), ticket()).action()).isEqualTo(Action.DENY);
    }

    @Test
    void identicalCallsWhilePendingShareOneRequest() throws Exception {
        ApprovalService service = service();

        Decision first = service.resolve("call-1", refund(5000), ticket());
        Decision again = service.resolve("call-2", refund(5000), ticket());

        assertThat(service.pending()).hasSize(1);
        assertThat(again.reason()).isEqualTo(first.reason());
    }

    @Test
    void racingIdenticalCallsRedeemATicketExactlyOnce() throws Exception {
        ApprovalService service = service();
        service.resolve("call-0", refund(5000), ticket());
        service.decide(service.pending().get(0).id(), true, "alice", null);
        int racers = 16;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Decision>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            String callId = "call-" + (i + 1);
            Callable<Decision> race = () -> {
                go.await();
                return service.resolve(callId, refund(5000), ticket());
            };
            results.add(callers.submit(race));
        }

        go.countDown();

        int allowed = 0;
        for (Future<Decision> f : results) {
            allowed += f.get().action() == Action.ALLOW ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(1);
        assertThat(admitted).hasValue(1);
    }

    @Test
    void anUnknownIdIsReportedAsUnknown() {
        assertThat(service().decide("apr_nope", true, "alice", null).outcome())
                .isEqualTo(ApproverVerdict.Outcome.UNKNOWN);
    }

    @Test
    void aSecondDecisionIsRefused() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        String id = service.pending().get(0).id();
        service.decide(id, true, "alice", null);

        ApproverVerdict again = service.decide(id, false, "mallory", null);

        assertThat(again.outcome()).isEqualTo(ApproverVerdict.Outcome.ALREADY_DECIDED);
        assertThat(again.approval().decidedBy()).isEqualTo("alice");
    }

    @Test
    void anExpiredRequestCannotBeApprovedAnyMore() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        String id = service.pending().get(0).id();

        clock.advance(Duration.ofMinutes(10));

        assertThat(service.decide(id, true, "alice", null).outcome())
                .isEqualTo(ApproverVerdict.Outcome.ALREADY_DECIDED);
        assertThat(audit.approvalEvents()).containsExactly("requested", "timed_out");
    }

    @Test
    void theAuditLogRecordsWhoApprovedWhat() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        String id = service.pending().get(0).id();
        service.decide(id, true, "alice", "checked with finance");
        service.resolve("call-2", refund(5000), ticket());

        assertThat(audit.approvalEvents()).containsExactly("requested", "approved", "used");
        assertThat(audit.last("requested").tool()).isEqualTo("issue_refund");
        assertThat(audit.last("requested").user()).isEqualTo("u1");
        assertThat(audit.last("requested").expiresAt()).isEqualTo(Instant.parse("2026-11-21T10:10:00Z"));
        assertThat(audit.last("approved").by()).isEqualTo("alice");
        assertThat(audit.last("approved").reason()).isEqualTo("checked with finance");
    }

    @Test
    void aShadowDecisionPassesThroughWithoutARequest() throws Exception {
        ApprovalService service = service();
        Decision shadow = waitFor().withEnforced(false);

        assertThat(service.resolve("call-1", refund(5000), shadow)).isSameAs(shadow);
        assertThat(service.pending()).isEmpty();
    }

    @Test
    void aRequestThatCannotBeAuditedFailsInsteadOfWaiting() {
        ApprovalService service = service();
        audit.failing = true;

        assertThatThrownBy(() -> service.resolve("call-1", refund(5000), waitFor()))
                .isInstanceOf(AuditWriteException.class);
        assertThatThrownBy(() -> service.resolve("call-2", refund(5000), ticket()))
                .isInstanceOf(AuditWriteException.class);
        assertThat(service.pending()).isEmpty();
    }

    @Test
    void anApprovalThatCannotBeAuditedDoesNotTakeEffect() throws Exception {
        ApprovalService service = service();
        service.resolve("call-1", refund(5000), ticket());
        String id = service.pending().get(0).id();
        audit.failing = true;

        ApproverVerdict verdict = service.decide(id, true, "alice", null);

        assertThat(verdict.outcome()).isEqualTo(ApproverVerdict.Outcome.NOT_RECORDED);
        assertThat(service.find(id).orElseThrow().pending()).isTrue();
    }

    @Test
    void anInterruptedWaiterIsDeniedAndItsRequestCancelled() throws Exception {
        ApprovalService service = service();
        Future<Decision> result = callInBackground(service, refund(5000), waitFor());
        String id = onlyPendingId(service);

        callers.shutdownNow();

        await().until(result::isDone);
        await().until(() -> service.find(id).orElseThrow().status() == Approval.Status.CANCELLED);
        assertThat(service.pending()).isEmpty();
    }

    @Test
    void theBackgroundSweepTimesOutATicketNobodyRetries() throws Exception {
        try (ApprovalService service = ApprovalService.builder(audit, admission).clock(clock)
                .sweepEvery(Duration.ofMillis(10)).build()) {
            service.resolve("call-1", refund(5000), ticket());

            clock.advance(Duration.ofMinutes(10));

            await().until(() -> audit.approvalEvents().contains("timed_out"));
        }
    }

    @Test
    void aFailingNotifierDoesNotChangeTheDecision() throws Exception {
        ApprovalService service = ApprovalService.builder(audit, admission).clock(clock)
                .notifier(a -> {
                    throw new IllegalStateException("webhook bug");
                }).build();

        Decision d = service.resolve("call-1", refund(5000), ticket());

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(service.pending()).hasSize(1);
    }

    @Test
    void tooManyPendingRequestsAreDeniedNotStored() throws Exception {
        ApprovalService service = ApprovalService.builder(audit, admission).clock(clock).maxPending(1).build();
        service.resolve("call-1", refund(5000), ticket());

        Decision d = service.resolve("call-2", refund(6000), ticket());

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).contains("too many approvals");
        assertThat(service.pending()).hasSize(1);
    }
}
