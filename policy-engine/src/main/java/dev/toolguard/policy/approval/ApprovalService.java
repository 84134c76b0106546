package dev.toolguard.policy.approval;

import dev.toolguard.policy.audit.ApprovalRecord;
import dev.toolguard.policy.audit.AuditSink;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.CanonicalJson;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns {@code require_approval} decisions into the decision to enforce (SPEC §5 actions).
 *
 * <ul>
 *   <li>{@code mode: wait}: the calling thread blocks until an approver decides or the timeout passes, then
 *       gets allow (approved, or timed out with {@code on_timeout: allow}) or deny.</li>
 *   <li>{@code mode: ticket}: the call is denied at once with the approval id in the reason. Once approved,
 *       the first identical call (same tool, canonical-JSON-equal arguments, same {@code ctx.user.id}) within
 *       {@code timeout} of the approval is allowed, exactly once.</li>
 * </ul>
 * An allowed approval still passes the rate limit and budget through {@link ApprovedCallAdmission}. Every
 * change of an approval is audited (requested, approved, rejected, timed_out, used, cancelled). Thread-safe.
 *
 * <p>With a shared store (SPEC §14) the request may be decided on another replica: the store tells this one
 * ({@link ApprovalStore#watch}) and the waiting call wakes at once; the poll is then only a safety re-check. A store
 * that does not answer denies the call (rule {@code state_unavailable}): an approval that cannot be read never
 * lets a call through.
 */
public final class ApprovalService implements AutoCloseable {

    /** Approvals that left pending are kept this long, so that a late approver learns "already decided". */
    private static final Duration RETENTION = Duration.ofHours(1);

    /** The rule of a call whose approval the shared store could not read or write (as for limits, SPEC §14). */
    static final String STATE_UNAVAILABLE = "state_unavailable";

    private final ApprovalStore store;
    private final AuditSink audit;
    private final ApprovedCallAdmission admission;
    private final ApprovalNotifier notifier;
    private final Clock clock;
    private final Duration pollInterval;
    private final int maxPending;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, CompletableFuture<Void>> wakeUps = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    private ApprovalService(Builder b) {
        this.store = b.store;
        this.audit = b.audit;
        this.admission = b.admission;
        this.notifier = b.notifier;
        this.clock = b.clock;
        this.pollInterval = b.pollInterval;
        this.maxPending = b.maxPending;
        // decisions made on another replica wake the calls waiting here (null: any of them may have changed)
        store.watch(id -> {
            if (id == null) {
                wakeUps.values().forEach(f -> f.complete(null));
            } else {
                wake(id);
            }
        });
        if (b.sweepEvery != null) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "toolguard-approval-timeouts");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1, b.sweepEvery.toMillis());
            sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        } else {
            sweeper = null;
        }
    }

    /**
     * @param audit     where approval records go (the audit log)
     * @param admission step 8 for approved calls (the engine's)
     */
    public static Builder builder(AuditSink audit, ApprovedCallAdmission admission) {
        return new Builder(audit, admission);
    }

    /**
     * Resolves a {@code require_approval} decision into allow or deny, waiting in {@code mode: wait}.
     * Decisions that are not enforced (shadow mode) or are not {@code require_approval} come back unchanged.
     *
     * @param callId   the audit id of the call
     * @param call     the call
     * @param decision the engine's decision, carrying its {@link ApprovalSpec}
     * @return the decision to enforce and audit
     * @throws AuditWriteException when an approval record could not be written; treat as {@code on_error}
     */
    public Decision resolve(String callId, ToolCall call, Decision decision) throws AuditWriteException {
        return resolve(callId, call, decision, admission);
    }

    /**
     * As {@link #resolve(String, ToolCall, Decision)}, with the admission of the engine whose bundle asked for the
     * approval: a call is settled by the bundle that decided it (SPEC §10, §13.7), whatever is loaded when the
     * approver answers.
     */
    public Decision resolve(String callId, ToolCall call, Decision decision, ApprovedCallAdmission admission)
            throws AuditWriteException {
        return resolve(callId, call, decision, admission, Reconsideration.NEVER);
    }

    /**
     * As {@link #resolve(String, ToolCall, Decision, ApprovedCallAdmission)}; while a wait-mode call waits, it asks
     * {@code reconsideration} whether the bundle now loaded still sends it to this approval (SPEC §10): at once, after
     * each {@link #reconsiderWaiting()} and at every poll, and always before an approver's answer takes effect. When
     * the answer is a decision, the request is cancelled and that decision is returned as it is (it may itself be a
     * {@code require_approval} under another rule, for the caller to resolve anew).
     */
    public Decision resolve(String callId, ToolCall call, Decision decision, ApprovedCallAdmission admission,
                            Reconsideration reconsideration) throws AuditWriteException {
        if (decision.action() != Action.REQUIRE_APPROVAL || !decision.enforced()) {
            return decision;
        }
        ApprovalSpec spec = decision.approval() == null ? ApprovalSpec.DEFAULT : decision.approval();
        try {
            return spec.mode() == ApprovalSpec.Mode.TICKET
                    ? ticket(callId, call, decision, spec, admission)
                    : await(callId, call, decision, spec, admission, reconsideration);
        } catch (ApprovalStoreUnavailableException e) {
            return unavailable(decision, e);
        }
    }

    /** What a policy reload means for a call waiting for approval (SPEC §10). */
    @FunctionalInterface
    public interface Reconsideration {

        /**
         * @param call  the waiting call
         * @param asked the decision that asked for the approval
         * @return null to keep waiting (nothing was reloaded, or the bundle now loaded sends the call to approval under
         *         the same rule), else the decision of the bundle now loaded, which ends the wait
         */
        Decision reconsider(ToolCall call, Decision asked);

        /** Nothing is ever reloaded: the bundle that asked decides. */
        Reconsideration NEVER = (call, asked) -> null;
    }

    /** A policy was reloaded: every call waiting in this process asks its {@link Reconsideration} now. */
    public void reconsiderWaiting() {
        wakeUps.values().forEach(f -> f.complete(null));
    }

    /** Approves or rejects a pending approval on behalf of {@code by}. Never throws. */
    public ApproverVerdict decide(String id, boolean approve, String by, String reason) {
        try {
            return decideIn(id, approve, by, reason);
        } catch (ApprovalStoreUnavailableException e) {
            return new ApproverVerdict(ApproverVerdict.Outcome.UNAVAILABLE, null,
                    "approval " + id + " was not decided: " + e.getMessage() + "; try again");
        }
    }

    private ApproverVerdict decideIn(String id, boolean approve, String by, String reason) {
        Optional<Approval> found = store.get(id);
        if (found.isEmpty()) {
            return new ApproverVerdict(ApproverVerdict.Outcome.UNKNOWN, null, "no approval with id " + id);
        }
        Approval current = expireIfDue(found.get(), clock.instant());
        if (!current.pending()) {
            return new ApproverVerdict(ApproverVerdict.Outcome.ALREADY_DECIDED, current,
                    "approval " + id + " is already " + current.status().wireName());
        }
        Approval.Status status = approve ? Approval.Status.APPROVED : Approval.Status.REJECTED;
        Approval decided = current.decided(status, by, reason, clock.instant());
        if (!store.replace(current, decided)) {
            Approval now = store.get(id).orElse(current);
            return new ApproverVerdict(ApproverVerdict.Outcome.ALREADY_DECIDED, now,
                    "approval " + id + " is already " + now.status().wireName());
        }
        try {
            audit.append(event(decided, status.wireName(), null, by, reason));
        } catch (AuditWriteException e) {
            // An approval nobody can find in the audit log must not take effect.
            store.replace(decided, current);
            return new ApproverVerdict(ApproverVerdict.Outcome.NOT_RECORDED, current,
                    "approval " + id + " was not recorded: " + e.getMessage());
        }
        wake(id);
        return new ApproverVerdict(ApproverVerdict.Outcome.DECIDED, decided,
                "approval " + id + " " + status.wireName());
    }

    /** Every pending approval, oldest first (expired ones are timed out first). */
    public List<Approval> pending() {
        expireOverdue();
        return store.pending();
    }

    public Optional<Approval> find(String id) {
        return store.get(id);
    }

    /**
     * Times out every pending approval whose time has passed (auditing each) and wakes its waiter. Cheap when
     * nothing is due; call it periodically so that ticket requests nobody retries still get their record.
     */
    public void expireOverdue() {
        Instant now = clock.instant();
        for (Approval a : store.pending()) {
            expireIfDue(a, now);
        }
        store.forgetDecidedBefore(now.minus(RETENTION));
    }

    /** The background sweep: times out what the store says is overdue here, without listing everything pending. */
    private void expireOwnOverdue() {
        Instant now = clock.instant();
        for (Approval a : store.overdue(now)) {
            expireIfDue(a, now);
        }
        store.forgetDecidedBefore(now.minus(RETENTION));
    }

    /** Stops the background timeout sweep, if one was started. Waiting calls still time out on their own. */
    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void sweep() {
        try {
            expireOwnOverdue();
        } catch (RuntimeException e) {
            // A store failure must not end the schedule; the next sweep tries again.
        }
    }

    private Decision await(String callId, ToolCall call, Decision decision, ApprovalSpec spec,
                           ApprovedCallAdmission admission, Reconsideration reconsideration)
            throws AuditWriteException {
        Approval approval = request(callId, call, decision, spec);
        if (approval == null) {
            return tooMany(decision);
        }
        CompletableFuture<Void> wakeUp = new CompletableFuture<>();
        wakeUps.put(approval.id(), wakeUp);
        try {
            store.add(approval);
            notify(approval);
            Approval lastRead = approval;
            while (true) {
                Approval current;
                try {
                    current = store.get(approval.id()).orElse(null);
                } catch (ApprovalStoreUnavailableException e) {
                    // a shared store that stopped answering: the request stands there, so keep waiting for it to
                    // answer again until the approval's time is up, and then deny (it could not be read)
                    if (!clock.instant().isBefore(approval.expiresAt())) {
                        cancelWhenReadable(lastRead);
                        return unavailable(decision, e);
                    }
                    if (!pause(wakeUp, approval.expiresAt())) {
                        return cancel(lastRead, decision);
                    }
                    wakeUp = new CompletableFuture<>();
                    wakeUps.put(approval.id(), wakeUp);
                    continue;
                }
                if (current == null) {
                    return with(decision, Action.DENY, "approval " + approval.id() + " was lost before a decision");
                }
                lastRead = current;
                // before an approver's answer takes effect: a bundle loaded meanwhile that no longer asks decides
                Decision reloaded = reconsideration.reconsider(call, decision);
                if (reloaded != null) {
                    return superseded(current, reloaded);
                }
                if (wakeUp.isDone()) {
                    wakeUp = new CompletableFuture<>(); // woken for a reload: wait again
                    wakeUps.put(approval.id(), wakeUp);
                }
                if (!current.pending()) {
                    return finish(call, decision, current, admission);
                }
                Instant now = clock.instant();
                if (!now.isBefore(current.expiresAt())) {
                    timeOut(current);
                    continue;
                }
                if (!pause(wakeUp, current.expiresAt())) {
                    return cancel(current, decision);
                }
            }
        } finally {
            wakeUps.remove(approval.id());
        }
    }

    /**
     * Waits for a wake-up, the next poll or {@code expiresAt}, whichever comes first; false when the thread was
     * interrupted (its interrupt status is set again).
     */
    private boolean pause(CompletableFuture<Void> wakeUp, Instant expiresAt) {
        long waitNanos = Math.min(Duration.between(clock.instant(), expiresAt).toNanos(), pollInterval.toNanos());
        try {
            wakeUp.get(Math.max(1, waitNanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Polling the store covers decisions a store could not tell of, and moves of the clock.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** A request whose call gave up on an unreadable store is cancelled if the store takes the change now. */
    private void cancelWhenReadable(Approval a) {
        try {
            Approval cancelled = a.decided(Approval.Status.CANCELLED, null,
                    "the shared state store did not answer until the approval's time was up", clock.instant());
            if (a.pending() && store.replace(a, cancelled)) {
                audit.append(event(cancelled, "cancelled", null, null, cancelled.decisionReason()));
            }
        } catch (ApprovalStoreUnavailableException | AuditWriteException e) {
            // the call is denied either way; the request times out where it is stored
        }
    }

    private Decision ticket(String callId, ToolCall call, Decision decision, ApprovalSpec spec,
                            ApprovedCallAdmission admission)
            throws AuditWriteException {
        String user = userId(call.ctx());
        if (user == null) {
            // a ticket belongs to the user it was approved for: without one it could be redeemed by anyone (SPEC §5)
            return with(decision, Action.DENY, "approval required, but a ticket needs ctx.user.id to belong to"
                    + " someone: this call has none, so it can neither open nor redeem one");
        }
        String key = call.tool() + '\n' + CanonicalJson.of(call.args()) + '\n' + user;
        Instant now = clock.instant();
        Optional<Approval> held = store.forTicket(key);
        if (held.isPresent()) {
            Approval current = expireIfDue(held.get(), now);
            if (current.pending()) {
                return pendingTicket(decision, current);
            }
            if (current.redeemableAt(now)) {
                Approval used = current.decided(Approval.Status.USED, current.decidedBy(), current.decisionReason(),
                        current.decidedAt());
                if (store.replace(current, used)) {
                    try {
                        audit.append(new ApprovalRecord(current.id(), "used", callId, null, null, null, null, null,
                                null, null));
                    } catch (AuditWriteException e) {
                        store.replace(used, current); // not on record, so not spent
                        throw e;
                    }
                    return admit(call, with(decision, Action.ALLOW, approvedReason(current)), admission);
                }
                // Another identical call redeemed it first: this one needs an approval of its own.
            }
        }
        if (store.pendingCount() >= maxPending) {
            return tooMany(decision);
        }
        Approval candidate = newApproval(callId, call, decision, spec, key);
        Approval winner = store.addTicket(candidate, a -> !a.pending() && !a.redeemableAt(clock.instant()));
        if (winner != candidate) {
            return pendingTicket(decision, winner); // an identical call opened a request at the same moment
        }
        try {
            recordRequest(candidate);
        } catch (AuditWriteException e) {
            store.replace(candidate, candidate.decided(Approval.Status.CANCELLED, null, "not recorded",
                    clock.instant()));
            throw e;
        }
        notify(candidate);
        return pendingTicket(decision, candidate);
    }

    /** A new wait-mode approval, its {@code requested} record written; null when too many are pending. */
    private Approval request(String callId, ToolCall call, Decision decision, ApprovalSpec spec)
            throws AuditWriteException {
        if (store.pendingCount() >= maxPending) {
            return null;
        }
        Approval approval = newApproval(callId, call, decision, spec, null);
        recordRequest(approval);
        return approval;
    }

    private Approval newApproval(String callId, ToolCall call, Decision decision, ApprovalSpec spec,
                                 String ticketKey) {
        Instant now = clock.instant();
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        return new Approval("apr_" + HexFormat.of().formatHex(idBytes), callId, call.tool(), call.args(), call.ctx(),
                userId(call.ctx()), spec, decision.rule(), decision.policyName(), now, now.plus(spec.timeout()),
                Approval.Status.PENDING, null, null, null, ticketKey);
    }

    private void recordRequest(Approval a) throws AuditWriteException {
        audit.append(new ApprovalRecord(a.id(), "requested", a.callId(), a.tool(), a.args(), a.userId(),
                a.spec().mode().name().toLowerCase(Locale.ROOT), a.expiresAt(), null, null));
    }

    private Decision finish(ToolCall call, Decision decision, Approval a, ApprovedCallAdmission admission) {
        return switch (a.status()) {
            case APPROVED -> admit(call, with(decision, Action.ALLOW, approvedReason(a)), admission);
            case REJECTED -> with(decision, Action.DENY, "approval " + a.id() + " was rejected by " + a.decidedBy()
                    + (a.decisionReason() == null || a.decisionReason().isBlank() ? "" : ": " + a.decisionReason()));
            case TIMED_OUT -> a.spec().onTimeout() == Action.ALLOW
                    ? admit(call, with(decision, Action.ALLOW, "approval " + a.id() + " timed out after "
                      + human(a.spec().timeout()) + "; on_timeout allows the call"), admission)
                    : with(decision, Action.DENY, "approval " + a.id() + " timed out after "
                      + human(a.spec().timeout()) + " without a decision");
            default -> with(decision, Action.DENY, "approval " + a.id() + " is " + a.status().wireName());
        };
    }

    /** Step 8 for an approved call; an allow keeps the approval's own reason (who approved, which request). */
    private Decision admit(ToolCall call, Decision approved, ApprovedCallAdmission admission) {
        Decision admitted = admission.admit(call, approved);
        return admitted.allowed() ? with(admitted, Action.ALLOW, approved.reason()) : admitted;
    }

    /** Moves a due pending approval to timed_out (auditing it once, whoever gets there first). */
    private Approval expireIfDue(Approval a, Instant now) {
        if (!a.pending() || now.isBefore(a.expiresAt())) {
            return a;
        }
        try {
            return timeOut(a);
        } catch (AuditWriteException e) {
            return a; // Stays pending; the next look retries, and a waiter reports the failure itself.
        }
    }

    private Approval timeOut(Approval a) throws AuditWriteException {
        Approval timedOut = a.decided(Approval.Status.TIMED_OUT, "on_timeout", a.spec().onTimeout().wireName(),
                a.expiresAt());
        if (!store.replace(a, timedOut)) {
            return store.get(a.id()).orElse(a);
        }
        try {
            audit.append(event(timedOut, "timed_out", null, null, a.spec().onTimeout().wireName()));
        } catch (AuditWriteException e) {
            store.replace(timedOut, a);
            throw e;
        }
        wake(a.id());
        return timedOut;
    }

    /** A reload decided the waiting call otherwise: the request is cancelled (and audited) and that decision stands. */
    private Decision superseded(Approval a, Decision reloaded) {
        String why = "the policy was reloaded: " + reloaded.policyName() + " " + reloaded.policyVersion()
                + " decides this call now (" + reloaded.action().wireName() + " by " + reloaded.rule() + ")";
        Approval cancelled = a.decided(Approval.Status.CANCELLED, null, why, clock.instant());
        if (a.pending() && store.replace(a, cancelled)) {
            try {
                audit.append(event(cancelled, "cancelled", null, null, why));
            } catch (AuditWriteException e) {
                // The reloaded decision stands either way; the missing record is the audit log's own failure to report.
            }
        }
        return reloaded;
    }

    private Decision cancel(Approval a, Decision decision) {
        Approval cancelled = a.decided(Approval.Status.CANCELLED, null, "the waiting call was interrupted",
                clock.instant());
        if (store.replace(a, cancelled)) {
            try {
                audit.append(event(cancelled, "cancelled", null, null, cancelled.decisionReason()));
            } catch (AuditWriteException e) {
                // The call is denied either way; the missing record is the audit log's own failure to report.
            }
        }
        return with(decision, Action.DENY, "interrupted while waiting for approval " + a.id());
    }

    private Decision pendingTicket(Decision decision, Approval a) {
        return with(decision, Action.DENY, "approval required: request " + a.id() + " is pending; repeat this"
                + " exact call once it is approved (within " + human(a.spec().timeout()) + ")");
    }

    /** The store could not read or write the call's approval: denied, never allowed for it (SPEC §14, §13). */
    private static Decision unavailable(Decision d, ApprovalStoreUnavailableException e) {
        return new Decision(Action.DENY, d.enforced(), "the shared state store does not answer, and this call needs it"
                + " (for its approval)", STATE_UNAVAILABLE, null, d.policyName(), d.policyVersion(), d.policySha256(),
                d.latencyNanos(), d.approval(), d.trace(), d.origin(), d.policySignature());
    }

    private Decision tooMany(Decision decision) {
        return with(decision, Action.DENY, "too many approvals are pending (" + maxPending + "); not requesting"
                + " another");
    }

    private void notify(Approval approval) {
        try {
            notifier.requested(approval);
        } catch (RuntimeException e) {
            // Telling someone is a courtesy; the request stands and is listed by the admin API either way.
        }
    }

    private void wake(String id) {
        CompletableFuture<Void> f = wakeUps.get(id);
        if (f != null) {
            f.complete(null);
        }
    }

    private static ApprovalRecord event(Approval a, String event, String callId, String by, String reason) {
        return new ApprovalRecord(a.id(), event, callId, null, null, null, null, null,
                by == null ? a.decidedBy() : by, reason);
    }

    private static String approvedReason(Approval a) {
        return "approved by " + a.decidedBy() + " (approval " + a.id() + ")";
    }

    private static Decision with(Decision d, Action action, String reason) {
        return new Decision(action, d.enforced(), reason, d.rule(), d.field(), d.policyName(), d.policyVersion(),
                d.policySha256(), d.latencyNanos(), d.approval(), d.trace(), d.origin(), d.policySignature());
    }

    /** The caller's user id as text, or null when there is none (or it is not a string or number). */
    private static String userId(Map<String, Object> ctx) {
        return ctx.get("user") instanceof Map<?, ?> user
                && (user.get("id") instanceof String || user.get("id") instanceof Number)
                ? String.valueOf(user.get("id")) : null;
    }

    private static String human(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** Builds an {@link ApprovalService}; everything but the audit sink and the admission has a default. */
    public static final class Builder {
        private final AuditSink audit;
        private final ApprovedCallAdmission admission;
        private ApprovalStore store = new InMemoryApprovalStore();
        private ApprovalNotifier notifier = ApprovalNotifier.NONE;
        private Clock clock = Clock.systemUTC();
        private Duration pollInterval = Duration.ofMillis(500);
        private int maxPending = 10_000;
        private Duration sweepEvery;

        private Builder(AuditSink audit, ApprovedCallAdmission admission) {
            this.audit = Objects.requireNonNull(audit, "audit");
            this.admission = Objects.requireNonNull(admission, "admission");
        }

        public Builder store(ApprovalStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        /** Told of every new pending approval, e.g. an {@link ApprovalWebhook}. */
        public Builder notifier(ApprovalNotifier notifier) {
            this.notifier = Objects.requireNonNull(notifier);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** How often a waiting call re-reads the store and the clock (decisions made elsewhere, clock moves). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval);
            return this;
        }

        /** Beyond this many pending approvals, new requests are denied rather than stored. */
        public Builder maxPending(int maxPending) {
            this.maxPending = maxPending;
            return this;
        }

        /**
         * Times out overdue requests in the background this often, so that a ticket nobody retries still
         * gets its {@code timed_out} record on time. Off by default; {@link #close()} stops it.
         */
        public Builder sweepEvery(Duration every) {
            this.sweepEvery = every;
            return this;
        }

        public ApprovalService build() {
            return new ApprovalService(this);
        }
    }
}
