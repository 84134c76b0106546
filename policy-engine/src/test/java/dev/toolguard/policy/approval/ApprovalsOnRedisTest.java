package dev.toolguard.policy.approval;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.state.SharedState.OnUnavailable;
import dev.toolguard.policy.state.StateListener;
import dev.toolguard.policy.state.redis.RedisServer;
import dev.toolguard.policy.state.redis.RedisSettings;
import dev.toolguard.policy.state.redis.RedisSharedState;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.toolguard.policy.approval.Approvals.refund;
import static dev.toolguard.policy.approval.Approvals.ticket;
import static dev.toolguard.policy.approval.Approvals.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §14 approvals on a real Redis server, with one {@link ApprovalService} per replica as separate processes
 * have: a request made on one is listed and decided on another, the waiting call wakes by Redis pub/sub (its own
 * re-check is minutes away), a ticket is redeemed exactly once across replicas, and a store that does not answer
 * never lets a call through. One server for the class; each test has a prefix of its own.
 */
class ApprovalsOnRedisTest {

    static RedisServer redis;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final RecordingAudit audit = new RecordingAudit();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        callers.shutdownNow();
        for (AutoCloseable c : opened) {
            c.close();
        }
        if (!redis.running()) {
            redis.restart();
        }
    }

    /** One replica: its own connections to Redis and its own service; waiting calls re-check only every 5 minutes. */
    private ApprovalService replica(OnUnavailable onUnavailable) {
        RedisSharedState state = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, prefix,
                Duration.ofMillis(300)), onUnavailable, StateListener.NONE);
        opened.add(state);
        await().atMost(Duration.ofSeconds(5)).until(state::answering);
        ApprovalService service = ApprovalService.builder(audit, ApprovedCallAdmission.NO_LIMITS)
                .store(state.approvals(Redaction.DEFAULT, Clock.systemUTC())).pollInterval(Duration.ofMinutes(5))
                .build();
        opened.add(service);
        return service;
    }

    private static String onlyPendingId(ApprovalService service) {
        await().atMost(Duration.ofSeconds(10)).until(() -> service.pending().size() == 1);
        return service.pending().get(0).id();
    }

    @Test
    void aCallWaitingOnOneReplicaIsListedAndApprovedOnAnotherAndRunsWithinASecond() throws Exception {
        ApprovalService a = replica(OnUnavailable.DENY);
        ApprovalService b = replica(OnUnavailable.DENY);
        Future<Decision> waiting = callers.submit(() -> a.resolve("call-1", refund(5000), waitFor()));
        String id = onlyPendingId(b);
        assertThat(b.pending().get(0).tool()).isEqualTo("issue_refund");
        assertThat(b.pending().get(0).userId()).isEqualTo("u1");

        ApproverVerdict verdict = b.decide(id, true, "alice", "checked");

        assertThat(verdict.outcome()).isEqualTo(ApproverVerdict.Outcome.DECIDED);
        // the waiting call's own re-check is 5 minutes away: only the push through Redis can wake it this soon
        await().atMost(Duration.ofSeconds(1)).until(waiting::isDone);
        assertThat(waiting.get().action()).isEqualTo(Action.ALLOW);
        assertThat(waiting.get().reason()).isEqualTo("approved by alice (approval " + id + ")");
        assertThat(a.pending()).isEmpty();
        assertThat(a.decide(id, false, "bob", "late").outcome()).isEqualTo(ApproverVerdict.Outcome.ALREADY_DECIDED);
    }

    @Test
    void aRejectionOnAnotherReplicaDeniesTheWaitingCall() throws Exception {
        ApprovalService a = replica(OnUnavailable.DENY);
        ApprovalService b = replica(OnUnavailable.DENY);
        Future<Decision> waiting = callers.submit(() -> a.resolve("call-1", refund(5000), waitFor()));

        b.decide(onlyPendingId(b), false, "bob", "not this one");

        await().atMost(Duration.ofSeconds(1)).until(waiting::isDone);
        assertThat(waiting.get().action()).isEqualTo(Action.DENY);
        assertThat(waiting.get().reason()).endsWith("was rejected by bob: not this one");
    }

    @Test
    void approversRacingOnTwoReplicasDecideOnceAndATicketIsRedeemedExactlyOnceAcrossThree() throws Exception {
        ApprovalService a = replica(OnUnavailable.DENY);
        ApprovalService b = replica(OnUnavailable.DENY);
        ApprovalService c = replica(OnUnavailable.DENY);
        Decision first = a.resolve("call-1", refund(3000), ticket());
        assertThat(first.action()).isEqualTo(Action.DENY);
        String id = onlyPendingId(c);
        assertThat(first.reason()).contains(id);

        CountDownLatch go = new CountDownLatch(1);
        Future<ApproverVerdict> byAlice = callers.submit(() -> {
            go.await();
            return b.decide(id, true, "alice", "ok");
        });
        Future<ApproverVerdict> byBob = callers.submit(() -> {
            go.await();
            return c.decide(id, true, "bob", "ok");
        });
        go.countDown();
        assertThat(List.of(byAlice.get().outcome(), byBob.get().outcome()))
                .containsExactlyInAnyOrder(ApproverVerdict.Outcome.DECIDED, ApproverVerdict.Outcome.ALREADY_DECIDED);

        // eight identical calls race on three replicas: exactly one redeems the ticket
        List<ApprovalService> replicas = List.of(a, b, c);
        CountDownLatch race = new CountDownLatch(1);
        List<Future<Decision>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ApprovalService on = replicas.get(i % 3);
            String callId = "call-r" + i;
            calls.add(callers.submit(() -> {
                race.await();
                return on.resolve(callId, refund(3000), ticket());
            }));
        }
        race.countDown();
        int allowed = 0;
        for (Future<Decision> f : calls) {
            if (f.get().action() == Action.ALLOW) {
                allowed++;
                assertThat(f.get().reason()).contains("(approval " + id + ")");
            } else {
                assertThat(f.get().reason()).contains("approval required").doesNotContain(id);
            }
        }
        assertThat(allowed).isEqualTo(1);
        assertThat(c.resolve("call-9", refund(3000), ticket()).action()).isEqualTo(Action.DENY);
        assertThat(audit.approvalEvents()).containsOnlyOnce("used").containsOnlyOnce("approved");
        // the losers of the race share one new request, whichever replica each landed on
        assertThat(a.pending()).hasSize(1);
    }

    @Test
    void whatRedisHoldsIsRedactedAndATicketIsFoundByADigestOfItsKey() throws Exception {
        ApprovalService a = replica(OnUnavailable.DENY);
        String secret = "hunter2-" + UUID.randomUUID();
        ToolCall call = new ToolCall("issue_refund", Map.of("customer_id", "c1", "amount", 3000, "api_key", secret),
                Map.of("user", Map.of("id", "u1", "session_token", secret)));
        a.resolve("call-1", call, ticket());
        String id = onlyPendingId(a);
        a.decide(id, true, "alice", "looks fine");

        StringBuilder everything = new StringBuilder();
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            for (String key : jedis.keys(prefix + "*")) {
                everything.append(key).append('=').append(jedis.type(key).equals("hash") ? jedis.hgetAll(key)
                        : jedis.type(key).equals("string") ? jedis.get(key) : "").append('\n');
            }
        }
        assertThat(everything).contains(id).contains("[REDACTED]").doesNotContain(secret).doesNotContain("hunter2");
        assertThat(a.find(id).orElseThrow().args()).containsEntry("api_key", "[REDACTED]");
        // the digest still tells identical calls apart from others: the ticket admits this call, once
        assertThat(a.resolve("call-2", call, ticket()).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void withDenyAStoppedRedisDeniesApprovalCallsAndApproversAreToldToTryAgain() throws Exception {
        ApprovalService a = replica(OnUnavailable.DENY);
        a.resolve("call-1", refund(3000), ticket());
        String id = onlyPendingId(a);

        redis.stop();
        Decision asked = a.resolve("call-2", refund(4000), ticket());
        ApproverVerdict verdict = a.decide(id, true, "alice", "ok");

        assertThat(asked.action()).isEqualTo(Action.DENY);
        assertThat(asked.rule()).isEqualTo("state_unavailable");
        assertThat(asked.reason()).isEqualTo("the shared state store does not answer, and this call needs it (for its approval)");
        assertThat(a.resolve("call-3", refund(3000), waitFor()).rule()).isEqualTo("state_unavailable");
        assertThat(verdict.outcome()).isEqualTo(ApproverVerdict.Outcome.UNAVAILABLE);

        redis.restart();
        await().atMost(Duration.ofSeconds(2)).until(() -> a.decide(id, true, "alice", "ok").outcome()
                == ApproverVerdict.Outcome.DECIDED);
        assertThat(a.resolve("call-4", refund(3000), ticket()).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void aCallWaitingWhileRedisIsStoppedKeepsWaitingAndRunsOnceRedisIsBackAndItIsApprovedElsewhere() throws Exception {
        ApprovalService a = replica(OnUnavailable.DENY);
        ApprovalService b = replica(OnUnavailable.DENY);
        Future<Decision> waiting = callers.submit(() -> a.resolve("call-1", refund(5000), waitFor()));
        String id = onlyPendingId(b);

        redis.stop();
        assertThat(b.decide(id, true, "alice", "ok").outcome()).isEqualTo(ApproverVerdict.Outcome.UNAVAILABLE);
        assertThat(waiting).isNotDone();
        redis.restart();
        await().atMost(Duration.ofSeconds(2)).until(() -> b.decide(id, true, "alice", "ok").outcome()
                == ApproverVerdict.Outcome.DECIDED);

        // woken by the resubscription (or the approval's message), well before its 5-minute re-check
        await().atMost(Duration.ofSeconds(2)).until(waiting::isDone);
        assertThat(waiting.get().action()).isEqualTo(Action.ALLOW);
        assertThat(waiting.get().reason()).isEqualTo("approved by alice (approval " + id + ")");
    }

    @Test
    void withLocalAStoppedRedisKeepsNewRequestsInMemoryButNeverAdmitsOneItCannotRead() throws Exception {
        ApprovalService a = replica(OnUnavailable.LOCAL);
        ApprovalService b = replica(OnUnavailable.LOCAL);
        a.resolve("call-1", refund(3000), ticket());
        String shared = onlyPendingId(a);

        redis.stop();
        // the request stored in Redis can be neither decided nor redeemed now
        assertThat(b.decide(shared, true, "alice", "ok").outcome()).isEqualTo(ApproverVerdict.Outcome.UNAVAILABLE);
        Decision again = a.resolve("call-2", refund(3000), ticket());
        assertThat(again.action()).isEqualTo(Action.DENY);
        // ... and a new one is kept in this replica's memory, listed and decided here
        String local = a.pending().stream().map(Approval::id).filter(i -> !i.equals(shared)).findFirst().orElseThrow();
        assertThat(again.reason()).contains(local);
        assertThat(a.decide(local, true, "alice", "ok").outcome()).isEqualTo(ApproverVerdict.Outcome.DECIDED);
        assertThat(a.resolve("call-3", refund(3000), ticket()).action()).isEqualTo(Action.ALLOW);
        assertThat(a.resolve("call-4", refund(3000), ticket()).action()).isEqualTo(Action.DENY);
    }

    @Test
    void aTicketNobodyRetriesIsTimedOutByTheSweepOfTheReplicaThatAskedIt() throws Exception {
        RedisSharedState state = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, prefix,
                Duration.ofMillis(300)), OnUnavailable.DENY, StateListener.NONE);
        opened.add(state);
        await().atMost(Duration.ofSeconds(5)).until(state::answering);
        ApprovalService asking = ApprovalService.builder(audit, ApprovedCallAdmission.NO_LIMITS)
                .store(state.approvals(Redaction.DEFAULT, Clock.systemUTC())).sweepEvery(Duration.ofMillis(50)).build();
        opened.add(asking);
        Decision quick = new Decision(Action.REQUIRE_APPROVAL, true, "r", Approvals.RULE, null, "support-agent", "v1",
                "ab".repeat(32), 0, new dev.toolguard.policy.decide.ApprovalSpec(Duration.ofMillis(300), Action.DENY,
                dev.toolguard.policy.decide.ApprovalSpec.Mode.TICKET), List.of());
        asking.resolve("call-1", refund(3000), quick);

        await().atMost(Duration.ofSeconds(5)).until(() -> audit.approvalEvents().contains("timed_out"));
        assertThat(replica(OnUnavailable.DENY).pending()).isEmpty();
    }

}
