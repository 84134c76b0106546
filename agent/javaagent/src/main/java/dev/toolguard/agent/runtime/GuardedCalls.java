package dev.toolguard.agent.runtime;

import dev.toolguard.agent.config.OnError;
import dev.toolguard.agent.context.CallSite;
import dev.toolguard.agent.context.ContextAssembler;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.PolicyBundle;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The decide-and-audit path of one guarded call: context, engine, approval, write-ahead decision record, and
 * after the body the outcome record. Whatever fails inside is an internal error, decided by {@code on_error}.
 */
public final class GuardedCalls implements CallGuard {

    private static final String ON_ERROR = "on_error";

    private final ActivePolicy active;
    private final PolicyEngine noPolicy;
    private final ContextAssembler context;
    private final AuditLog audit;
    private final String auditProblem;
    private final ApprovalGate approvals;
    private final DecisionMetrics metrics;
    private final OnError onError;
    private final boolean shadow;
    private final java.util.Set<String> injectedFailures;
    private final boolean auditOff;
    private final Consumer<String> diagnostics;
    private final CallIds ids = new CallIds();
    private final AtomicBoolean auditFailureReported = new AtomicBoolean();

    /**
     * @param noPolicy        the engine deciding while nothing is loaded (it denies with {@code no_policy})
     * @param audit           the audit log, or null when it could not be opened ({@code auditProblem} says why)
     * @param injectedFailures tools whose deciding fails on purpose (system property
     *                         {@code toolguard.testing.engine-failure}), for the fail-closed tests; empty normally
     * @param auditOff         true only to measure deciding alone (system property
     *                         {@code toolguard.testing.audit-off}, for the benchmarks): no record is written
     */
    public GuardedCalls(ActivePolicy active, PolicyEngine noPolicy, ContextAssembler context, AuditLog audit,
                        String auditProblem, ApprovalGate approvals, DecisionMetrics metrics, OnError onError,
                        boolean shadow, java.util.Set<String> injectedFailures, boolean auditOff,
                        Consumer<String> diagnostics) {
        this.active = active;
        this.noPolicy = noPolicy;
        this.context = context;
        this.audit = audit;
        this.auditProblem = auditProblem;
        this.approvals = approvals;
        this.metrics = metrics;
        this.onError = onError;
        this.shadow = shadow;
        this.injectedFailures = injectedFailures;
        this.auditOff = auditOff;
        this.diagnostics = diagnostics;
    }

    @Override
    public Verdict before(ToolMethod method, CallSite site, ArgumentReader.Result args) {
        long start = System.nanoTime();
        String callId = audit != null ? audit.newId() : ids.next();
        ActivePolicy.Snapshot policy = active.current();
        Map<String, Object> plainArgs = args.ok() ? args.args() : Map.of();
        ToolCall call = null;
        Decision decision;
        // announced to the audit log while deciding, so that a concurrent call's write can wait to carry ours
        boolean announced = false;
        try {
            call = new ToolCall(method.toolName(), plainArgs, context.assemble(site));
            if (!args.ok()) {
                decision = unreadable(args, policy.bundle(), System.nanoTime() - start);
            } else {
                if (!injectedFailures.isEmpty() && injectedFailures.contains(method.toolName())) {
                    throw new IllegalStateException("injected engine failure");
                }
                if (audit != null && !auditOff) {
                    audit.expectDecision();
                    announced = true;
                }
                decision = (policy.loaded() ? policy.engine() : noPolicy).decide(call);
                if (decision.action() == Action.REQUIRE_APPROVAL && decision.enforced()) {
                    if (announced) {
                        announced = false;
                        audit.withdraw(); // a person decides now: no write should wait for this call
                    }
                    decision = approvals.settle(callId, call, decision);
                }
                if (ON_ERROR.equals(decision.rule()) && decision.reason() != null
                        && decision.reason().startsWith("internal error") && onError == OnError.ALLOW) {
                    decision = allowOnError(decision.reason(), policy.bundle(), decision.latencyNanos());
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
        } catch (Throwable t) {
            if (announced) {
                announced = false;
                audit.withdraw();
            }
            decision = internalError(t, policy.bundle(), System.nanoTime() - start);
            metrics.internalError(method.toolName());
            writeQuietly(callId, call != null ? call : new ToolCall(method.toolName(), plainArgs, Map.of()), method, decision);
        }
        metrics.decided(method.toolName(), decision);
        if (decision.blocks()) {
            return new Verdict(new ToolCallDeniedException(method.toolName(), decision.rule(), decision.reason(),
                    decision.denialMessage()), callId, 0L);
        }
        return new Verdict(null, callId, System.nanoTime());
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
        Decision d = internalError(failure, active.current().bundle(), 0L);
        metrics.internalError(method.toolName());
        writeQuietly(audit != null ? audit.newId() : ids.next(), new ToolCall(method.toolName(), Map.of(), Map.of()),
                method, d);
        metrics.decided(method.toolName(), d);
        return d.blocks()
                ? new Verdict(new ToolCallDeniedException(method.toolName(), d.rule(), d.reason(), d.denialMessage()), null, 0L)
                : new Verdict(null, null, System.nanoTime());
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
        return policy.engine().discoverable(toolName, context.assemble(new CallSite(null, null, extras)));
    }

    @Override
    public Map<String, Object> context() {
        return context.assemble(new CallSite(null, null, null));
    }

    private Decision unreadable(ArgumentReader.Result args, PolicyBundle bundle, long latency) {
        String where = args.field() == null || args.field().isEmpty() ? "the arguments" : "argument " + args.field();
        return decision(Action.DENY, "invalid call: " + where + " cannot be read: " + args.problem(),
                args.field() == null || args.field().isEmpty() ? null : args.field(), bundle, latency);
    }

    private Decision internalError(Throwable t, PolicyBundle bundle, long latency) {
        String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (t instanceof AuditWriteException) {
            reportAuditFailure(t);
        }
        String reason = "internal error while deciding (" + what + ")";
        return onError == OnError.ALLOW ? allowOnError(reason, bundle, latency)
                : decision(Action.DENY, reason, null, bundle, latency);
    }

    private Decision allowOnError(String reason, PolicyBundle bundle, long latency) {
        return decision(Action.ALLOW, reason + "; allowed because on_error is allow", null, bundle, latency);
    }

    private Decision decision(Action action, String reason, String field, PolicyBundle bundle, long latency) {
        return new Decision(action, !shadow, reason, ON_ERROR, field,
                bundle == null ? null : bundle.name(), bundle == null ? null : bundle.version(),
                bundle == null ? null : bundle.sha256(), latency, null, List.of());
    }

    private void writeQuietly(String callId, ToolCall call, ToolMethod method, Decision decision) {
        if (audit == null) {
            return;
        }
        try {
            audit.decision(callId, call, method.signature(), decision);
        } catch (AuditWriteException | RuntimeException e) {
            reportAuditFailure(e);
        }
    }

    private void reportAuditFailure(Throwable e) {
        if (auditFailureReported.compareAndSet(false, true)) {
            diagnostics.accept("toolguard: cannot write the audit log, so guarded calls are decided by on_error ("
                    + onError.wireName() + "): " + e.getMessage());
        }
    }
}
