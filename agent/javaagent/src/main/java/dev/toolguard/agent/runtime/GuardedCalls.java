package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.OnError;
import dev.toolguard.agent.context.CallSite;
import dev.toolguard.agent.context.ContextAssembler;
import dev.toolguard.agent.egress.UnseenEgress;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.internal.GuardBridge;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.audit.CallIds;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.PendingCharges;
import dev.toolguard.policy.values.CallSecrets;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The decide-and-audit path of one guarded call, in stages: the framework integration fits, arguments readable,
 * context assembled, the engine decides, an approver settles, the write-ahead decision record is written; after the
 * body the outcome record. Whatever fails inside is an internal error, and every decision that is not the policy's
 * is made by {@link #ownDecision}, one place, with a typed {@link Decision.Origin}: {@code on_error: allow} applies to
 * internal errors only, never to a call that could not be read or a framework that does not fit.
 */
public final class GuardedCalls implements CallGuard {

    private static final String ON_ERROR = "on_error";
    /** The rule of a call no policy decided, as the engine names it when none is loaded. */
    private static final String NO_POLICY = "no_policy";

    private final ActivePolicy active;
    private final PolicyEngine noPolicy;
    private final ContextAssembler context;
    private final AuditLog audit;
    private final String auditProblem;
    private final UnseenEgress unseenEgress;
    private final ApprovalGate approvals;
    private final DecisionMetrics metrics;
    private final OnError onError;
    private final boolean shadow;
    private final boolean auditOff;
    private final Consumer<String> diagnostics;
    private final java.util.function.Function<String, String> unfitModules;
    private final CallIds ids = new CallIds();
    private final AtomicBoolean auditFailureReported = new AtomicBoolean();
    private final java.util.Set<String> sitesReported = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tools whose first condition error has been said on standard error. */
    private final java.util.Set<String> conditionErrorsReported = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param noPolicy        the engine deciding while nothing is loaded (it denies with {@code no_policy})
     * @param audit           the audit log, or null when it could not be opened ({@code auditProblem} says why)
     * @param auditOff         true writes no record: only for tests that measure deciding alone; the agent never
     *                         sets it, and nothing a user can set reaches it (SPEC §13.13)
     * @param unfitModules     a module's name to why its integration does not fit the framework found (SPEC §13.4),
     *                         or to null when it fits
     */
    public GuardedCalls(ActivePolicy active, PolicyEngine noPolicy, ContextAssembler context, AuditLog audit,
                        String auditProblem, ApprovalGate approvals, DecisionMetrics metrics, OnError onError,
                        boolean shadow, boolean auditOff,
                        java.util.function.Function<String, String> unfitModules, Consumer<String> diagnostics) {
        this(active, noPolicy, context, audit, auditProblem, approvals, metrics, onError, shadow, auditOff, unfitModules,
                UnseenEgress.NONE, diagnostics);
    }

    /** @param unseenEgress why a tool's call is denied because an egress its policy restricts cannot be seen */
    public GuardedCalls(ActivePolicy active, PolicyEngine noPolicy, ContextAssembler context, AuditLog audit,
                        String auditProblem, ApprovalGate approvals, DecisionMetrics metrics, OnError onError,
                        boolean shadow, boolean auditOff, java.util.function.Function<String, String> unfitModules,
                        UnseenEgress unseenEgress, Consumer<String> diagnostics) {
        this.unseenEgress = unseenEgress;
        this.active = active;
        this.noPolicy = noPolicy;
        this.context = context;
        this.audit = audit;
        this.auditProblem = auditProblem;
        this.approvals = approvals;
        this.metrics = metrics;
        this.onError = onError;
        this.shadow = shadow;
        this.auditOff = auditOff;
        this.unfitModules = unfitModules;
        this.diagnostics = diagnostics;
    }

    @Override
    public Verdict before(ToolMethod method, CallSite site, ArgumentReader.Result args) {
        long start = System.nanoTime();
        String callId = ids.next();
        ActivePolicy.Snapshot policy = active.current();
        Map<String, Object> plainArgs = args.ok() ? args.args() : Map.of();
        ToolCall call = null;
        Decision decision;
        // announced to the audit log while deciding, so that a concurrent call's write can wait to carry ours
        boolean announced = false;
        // what deciding charges stands only once the decision record is written (SPEC §13.7)
        PendingCharges charges = PendingCharges.open();
        try {
            ContextAssembler.Assembled ctx = context.read(site);
            call = new ToolCall(method.toolName(), plainArgs, ctx.values());
            String unfit = unfitModules.apply(method.ruleSet());
            if (unfit != null) {
                decision = ownDecision(Decision.Origin.INSTRUMENTATION, unfit, null, policy.bundle(),
                        System.nanoTime() - start);
            } else if (!args.ok()) {
                decision = unreadable(args, policy.bundle(), System.nanoTime() - start);
            } else if (ctx.problem() != null) {
                // a context value that cannot be converted is never silently dropped: the call is denied
                decision = ownDecision(Decision.Origin.INVALID_CALL, "invalid call: " + ctx.problem(), null,
                        policy.bundle(), System.nanoTime() - start);
            } else {
                if (audit != null && !auditOff) {
                    audit.expectDecision();
                    announced = true;
                }
                PolicyEngine engine = policy.loaded() ? policy.engine() : noPolicy;
                // a body whose restricted egress no sensor can see does not run (SPEC §18)
                String unseen = unseenEgress.refusal(method.toolName(), engine);
                decision = unseen != null
                        ? ownDecision(Decision.Origin.INSTRUMENTATION, unseen, null, policy.bundle(),
                                System.nanoTime() - start)
                        : policy.firstLoadLate() ? notLoadedInTime(policy, System.nanoTime() - start)
                        : engine.decide(call);
                if (!decision.trace().isEmpty()) {
                    reportConditionError(method, decision);
                }
                if (decision.origin() == Decision.Origin.INTERNAL_ERROR) {
                    // the engine caught its own failure: said and counted here like any other
                    report(method, decision.reason());
                    metrics.internalError(method.toolName());
                }
                if (decision.action() == Action.REQUIRE_APPROVAL && decision.enforced()) {
                    if (announced) {
                        announced = false;
                        audit.withdraw(); // a person decides now: no write should wait for this call
                    }
                    decision = approvals.settle(callId, call, decision, engine);
                }
                if (decision.origin() == Decision.Origin.INTERNAL_ERROR && onError == OnError.ALLOW) {
                    decision = ownDecision(Decision.Origin.INTERNAL_ERROR, decision.reason(), null, policy.bundle(),
                            decision.latencyNanos());
                }
            }
            if (!auditOff) {
                if (audit == null) {
                    throw new AuditWriteException("the audit log is not open: " + auditProblem, null);
                }
                if (announced) {
                    announced = false;
                    audit.expectedDecision(callId, call, method.signature(), decision);
                } else {
                    audit.decision(callId, call, method.signature(), decision);
                }
            }
            charges.commit();
        } catch (Throwable t) {
            charges.release();
            if (announced) {
                announced = false;
                audit.withdraw();
            }
            decision = recorded(callId, call != null ? call : new ToolCall(method.toolName(), plainArgs, Map.of()), method,
                    internalError(method, t, secretsOf(policy, plainArgs, call), policy.bundle(),
                            System.nanoTime() - start));
            metrics.internalError(method.toolName());
        }
        metrics.decided(method.toolName(), decision);
        if (decision.blocks()) {
            return new Verdict(denialOf(method, decision), callId, 0L);
        }
        return new Verdict(null, callId, System.nanoTime(), new RunningCall(callId, method.toolName(),
                call == null ? Map.of() : call.ctx(), policy.loaded() ? policy.engine() : noPolicy));
    }

    /**
     * The first condition error of each tool goes to standard error once: a rule skipped (or applied) because its
     * {@code when} failed is usually a missing context or argument name, and the reason alone hides where.
     */
    private void reportConditionError(ToolMethod method, Decision decision) {
        for (TraceStep step : decision.trace()) {
            if ("error".equals(step.outcome()) && ("rules".equals(step.step()) || "forbid".equals(step.step()))) {
                if (conditionErrorsReported.add(method.toolName())) {
                    diagnostics.accept("toolguard: tool " + method.toolName() + ": " + step.rule() + ": " + step.detail()
                            + " (said once per tool; every such error is in the audit record's errors)");
                }
                return;
            }
        }
    }

    @Override
    public void after(Verdict verdict, Object result, Throwable thrown) {
        if (audit == null || verdict.callId() == null) {
            return;
        }
        long durationMs = (System.nanoTime() - verdict.started()) / 1_000_000L;
        try {
            // handed to the OS before the call returns to its caller, so a SIGKILL after that cannot lose it (SPEC §9)
            audit.outcome(verdict.callId(), thrown, durationMs);
        } catch (AuditWriteException | RuntimeException e) {
            reportAuditFailure(e);
        }
    }

    @Override
    public Verdict failed(ToolMethod method, Throwable failure) {
        Decision d = recorded(ids.next(), new ToolCall(method.toolName(), Map.of(), Map.of()), method,
                internalError(method, failure, CallSecrets.NONE, active.current().bundle(), 0L));
        metrics.internalError(method.toolName());
        metrics.decided(method.toolName(), d);
        return d.blocks()
                ? new Verdict(denialOf(method, d), null, 0L)
                : new Verdict(null, null, System.nanoTime());
    }

    /**
     * The exception a denied call throws. An internal error's details go to standard error and the audit record;
     * the model, which reads the message, learns only that the call could not be decided (SPEC §13.6).
     */
    private static ToolCallDeniedException denialOf(ToolMethod method, Decision d) {
        return d.origin() == Decision.Origin.INTERNAL_ERROR
                ? new ToolCallDeniedException(method.toolName(), d.rule(), "the call could not be decided (internal error)",
                        GuardBridge.UNDECIDED_MESSAGE)
                : new ToolCallDeniedException(method.toolName(), d.rule(), d.reason(), d.denialMessage());
    }

    @Override
    public String unfit(String module) {
        return unfitModules.apply(module);
    }

    @Override
    public Verdict refused(ToolMethod method, String why) {
        Decision d = recorded(ids.next(), new ToolCall(method.toolName(), Map.of(), Map.of()), method,
                ownDecision(Decision.Origin.INVALID_CALL, "invalid call: " + why, null, active.current().bundle(), 0L)
                        .withEnforced(true));
        if (sitesReported.add(method.signature())) {
            diagnostics.accept("toolguard: refused a call of " + method.toolName() + " at " + method.signature() + ": " + why);
        }
        metrics.decided(method.toolName(), d);
        return new Verdict(denialOf(method, d), null, 0L);
    }

    @Override
    public boolean discoverable(String toolName) {
        return discoverable(toolName, null);
    }

    @Override
    public boolean discoverable(String toolName, Object[] extras) {
        ActivePolicy.Snapshot policy = active.current();
        if (!policy.loaded()) {
            return shadow;
        }
        ContextAssembler.Assembled ctx = context.read(new CallSite(null, null, extras));
        if (ctx.problem() != null) {
            return shadow; // a context that cannot be read denies the call, so the tool is not offered either
        }
        return policy.engine().discoverable(toolName, ctx.values());
    }

    @Override
    public Map<String, Object> context() {
        return context.assemble(new CallSite(null, null, null));
    }

    private Decision unreadable(ArgumentReader.Result args, PolicyBundle bundle, long latency) {
        String where = args.field() == null || args.field().isEmpty() ? "the arguments" : "argument " + args.field();
        return ownDecision(Decision.Origin.INVALID_CALL, "invalid call: " + where + " cannot be read: " + args.problem(),
                args.field() == null || args.field().isEmpty() ? null : args.field(), bundle, latency);
    }

    /**
     * The call's redacted values, so that a failure whose message quotes one shows {@code [REDACTED]} on standard
     * error and in the reason (SPEC §13.10); null when the values cannot even be searched.
     */
    private CallSecrets secretsOf(ActivePolicy.Snapshot policy, Map<String, Object> args, ToolCall call) {
        try {
            PolicyEngine engine = policy.loaded() ? policy.engine() : noPolicy;
            return engine.redaction().secretsOf(args, call == null ? Map.of() : call.ctx());
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    private Decision internalError(ToolMethod method, Throwable t, CallSecrets secrets, PolicyBundle bundle,
                                   long latency) {
        // without the call's secrets to hide, the failure's message is left out rather than risked
        String message = t.getMessage() == null || secrets == null ? null : secrets.hide(t.getMessage());
        String what = t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        if (t instanceof AuditWriteException) {
            reportAuditFailure(t);
        } else {
            report(method, what);
        }
        return ownDecision(Decision.Origin.INTERNAL_ERROR, "internal error while deciding (" + what + ")", null, bundle,
                latency);
    }

    /**
     * The first policy load had not ended within {@code policy.first_load_wait}: no policy decided this call, so it
     * is denied under {@code no_policy} as when none is loaded, with the reason saying why (audited only, in shadow).
     */
    private Decision notLoadedInTime(ActivePolicy.Snapshot policy, long latency) {
        return new Decision(Action.DENY, !shadow, policy.noPolicyReason(), NO_POLICY, null, null, null, null, latency,
                null, List.of());
    }

    /**
     * The one place a decision that is not the policy's is made, under rule {@code on_error}: a denial, except that
     * an internal error is allowed (and says so) when the config says {@code on_error: allow}.
     */
    private Decision ownDecision(Decision.Origin origin, String reason, String field, PolicyBundle bundle, long latency) {
        boolean allow = origin == Decision.Origin.INTERNAL_ERROR && onError == OnError.ALLOW;
        return new Decision(allow ? Action.ALLOW : Action.DENY, !shadow,
                allow ? reason + "; allowed because on_error is allow" : reason, ON_ERROR, field,
                bundle == null ? null : bundle.name(), bundle == null ? null : bundle.version(),
                bundle == null ? null : bundle.sha256(), latency, null, List.of(), origin);
    }

    /**
     * Writes the record of an internal error's decision and returns the decision the call ends with: a body runs only
     * after a record that allowed it was written (SPEC §13.1), so an {@code on_error: allow} whose record cannot be
     * written is a denial after all.
     */
    private Decision recorded(String callId, ToolCall call, ToolMethod method, Decision decision) {
        if (auditOff) {
            return decision;
        }
        try {
            if (audit == null) {
                throw new AuditWriteException("the audit log is not open: " + auditProblem, null);
            }
            audit.decision(callId, call, method.signature(), decision);
            return decision;
        } catch (AuditWriteException | RuntimeException e) {
            reportAuditFailure(e);
            // neither on_error: allow nor shadow mode lets a body run without its record
            return decision.blocks() ? decision : new Decision(Action.DENY, true, decision.reason()
                    + "; denied after all because its record could not be written", decision.rule(), decision.field(),
                    decision.policyName(), decision.policyVersion(), decision.policySha256(), decision.latencyNanos(),
                    null, decision.trace(), decision.origin());
        }
    }

    /** Says an internal error on standard error, once per site (SPEC §13.1); every call's audit record says it again. */
    private void report(ToolMethod method, String what) {
        if (sitesReported.add(method.signature())) {
            try {
                diagnostics.accept("toolguard: internal error while deciding a call of " + method.toolName() + " at "
                        + method.signature() + ", decided by on_error (" + onError.wireName() + "): " + what);
            } catch (Throwable unsaid) {
                // near the end of the stack even saying it may fail; the decision still stands
            }
        }
    }

    private void reportAuditFailure(Throwable e) {
        if (auditFailureReported.compareAndSet(false, true)) {
            diagnostics.accept("toolguard: cannot write the audit log, so guarded calls are decided by on_error ("
                    + onError.wireName() + "): " + e.getMessage());
        }
    }
}
