package dev.toolguard.policy.decide;

import dev.toolguard.policy.expr.EvalError;
import dev.toolguard.policy.expr.Expression;
import dev.toolguard.policy.load.ArgumentSchema;
import dev.toolguard.policy.load.Budget;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.ForbidEntry;
import dev.toolguard.policy.load.LimitKey;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.load.CrossToolLimit;
import dev.toolguard.policy.load.RateLimit;
import dev.toolguard.policy.load.Rule;
import dev.toolguard.policy.egress.EgressDecider;
import dev.toolguard.policy.egress.EgressKind;
import dev.toolguard.policy.egress.EgressReader;
import dev.toolguard.policy.egress.EgressRequest;
import dev.toolguard.policy.egress.EgressVerdict;
import dev.toolguard.policy.load.SequenceRule;
import dev.toolguard.policy.load.ToolPattern;
import dev.toolguard.policy.load.ToolPolicy;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.PendingCharges;
import dev.toolguard.policy.state.SharedCheck;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.StateUnavailableException;
import dev.toolguard.policy.values.CallSecrets;
import dev.toolguard.policy.values.CanonicalJson;
import dev.toolguard.policy.values.Redaction;
import dev.toolguard.policy.values.ValueEquality;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides tool calls against one compiled bundle (SPEC §5): forbid, known tool, roles, arguments, locks,
 * sequences, rules, limits, in that order; the first step that decides ends it.
 *
 * <p>Thread-safe and lock-free; never throws: an unexpected failure is a denial with rule
 * {@code on_error}. Calls whose values are not JSON-like, are nested deeper than 100 levels (or contain
 * themselves), hold more than 100,000 values or hold NaN or infinite numbers cannot be decided and are
 * denied with rule {@code on_error} and a reason starting {@code invalid call:}.
 *
 * <p>State (rate limits, budgets, session history) lives in an {@link EngineState} that outlives the
 * engine: on a reload, build a new engine for the new bundle with the same state. Counters are charged,
 * and the call recorded in the session history, only when a call ends allowed — by {@link #decide} for an
 * {@code allow}, by {@link #admitApproved} once a person approves a {@code require_approval}. Where the caller
 * holds {@link dev.toolguard.policy.state.PendingCharges} open (the agent does), they stand only once it commits
 * them, after the call's decision record is written (SPEC §13.7).
 *
 * <p>Shadow mode: decisions on the tools, forbid entries and sequences of a file with {@code mode: shadow}
 * are made as if enforced and returned with {@code enforced=false}. A shadow forbid entry or sequence that
 * matches does not stop the enforced steps: when they deny, their enforced denial is returned; when they
 * allow (and have charged the counters, since the call will run), the shadow denial is returned, not
 * enforced. With {@code forceShadow} every decision is returned with {@code enforced=false}.
 */
public final class PolicyEngine {

    private static final String NO_POLICY = "no_policy";
    private static final String ON_ERROR = "on_error";
    private static final String STATE_UNAVAILABLE = "state_unavailable";
    /** What a decision records when the shared store did not decide it (SPEC §14). */
    private static final String UNAVAILABLE = "unavailable";
    private static final String LOCAL = "local";

    private final CompiledBundle bundle;
    private final EngineState state;
    private final boolean forceShadow;
    private final Redaction redaction;
    /** The reason of each allowing rule, built once: the text is the same for every call it allows. */
    private final Map<Rule, String> allowReasons = new IdentityHashMap<>();
    /** The longest {@code within} of the bundle's sequences: how long a call must stay in the session history. */
    private final long longestWithinMillis;

    /** An engine for {@code bundle} with fresh in-memory state. */
    public PolicyEngine(PolicyBundle bundle) {
        this(bundle, EngineState.inMemory(), false);
    }

    /** An engine for {@code bundle} sharing {@code state} with the engines of earlier bundles. */
    public PolicyEngine(PolicyBundle bundle, EngineState state) {
        this(bundle, state, false);
    }

    /**
     * @param bundle      a bundle loaded by {@code BundleLoader}
     * @param state       counters and history, shared across reloads
     * @param forceShadow true for {@code mode: shadow} in the agent config: decide everything, enforce nothing
     * @throws IllegalArgumentException when the bundle was not loaded by {@code BundleLoader}
     */
    public PolicyEngine(PolicyBundle bundle, EngineState state, boolean forceShadow) {
        this(bundle, state, forceShadow, Redaction.DEFAULT);
    }

    /**
     * As {@link #PolicyEngine(PolicyBundle, EngineState, boolean)}, hiding the values {@code redaction} names in
     * every reason and trace message the engine returns (SPEC §13.10).
     */
    public PolicyEngine(PolicyBundle bundle, EngineState state, boolean forceShadow, Redaction redaction) {
        Objects.requireNonNull(bundle, "bundle");
        this.redaction = Objects.requireNonNull(redaction, "redaction");
        if (!(bundle instanceof CompiledBundle compiled)) {
            throw new IllegalArgumentException("the engine decides bundles loaded by BundleLoader, not "
                    + bundle.getClass().getName());
        }
        this.bundle = compiled;
        this.state = Objects.requireNonNull(state, "state");
        this.forceShadow = forceShadow;
        long longest = 0;
        for (SequenceRule s : compiled.sequences()) {
            longest = Math.max(longest, s.within() == null ? 0 : s.within().toMillis());
        }
        this.longestWithinMillis = longest;
        for (ToolPolicy tool : compiled.tools()) {
            for (Rule r : tool.rules()) {
                allowReasons.put(r, reasonOr(r.reason(), "allowed by " + r.ruleId()));
            }
        }
    }

    private String allowReason(Rule matched) {
        String reason = allowReasons.get(matched);
        return reason != null ? reason : reasonOr(matched.reason(), "allowed by " + matched.ruleId());
    }

    private PolicyEngine(EngineState state, boolean forceShadow) {
        this.bundle = null;
        this.state = Objects.requireNonNull(state, "state");
        this.forceShadow = forceShadow;
        this.redaction = Redaction.DEFAULT;
        this.longestWithinMillis = 0;
    }

    /** An engine for when no policy is loaded: it denies every call with rule {@code no_policy}. */
    public static PolicyEngine noPolicy() {
        return new PolicyEngine(EngineState.inMemory(), false);
    }

    /** As {@link #noPolicy()}, keeping {@code state} for the engine that follows once a policy loads. */
    public static PolicyEngine noPolicy(EngineState state, boolean forceShadow) {
        return new PolicyEngine(state, forceShadow);
    }

    /** The bundle deciding, or null when no policy is loaded. */
    public PolicyBundle bundle() {
        return bundle;
    }

    public EngineState state() {
        return state;
    }

    /** What this engine hides in the reasons and messages it returns. */
    public Redaction redaction() {
        return redaction;
    }

    /**
     * Decides one call (SPEC §5) and, when it ends allowed, charges its rate limit and budget and records
     * it in the session history. The trace holds only the errors met (expression errors and the like).
     */
    public Decision decide(ToolCall call) {
        Trace trace = Trace.errorsOnly(System.nanoTime());
        try {
            return run(call, trace);
        } finally {
            trace.done();
        }
    }

    /** As {@link #decide}, with every step that ran in the trace; for {@code explain} and tests. */
    public Decision explain(ToolCall call) {
        return run(call, new Trace(true, System.nanoTime()));
    }

    /**
     * Lets a call through that a person approved after {@link #decide} returned {@code require_approval}:
     * runs step 8 (rate limit, then budget) and, when there is room, charges them and records the call in
     * the session history. Returns an allow carrying the approved decision's rule, or a denial with rule
     * {@code tools.<tool>.rate_limit} / {@code tools.<tool>.budget}. Never throws.
     */
    public Decision admitApproved(ToolCall call, Decision approved) {
        Trace trace = new Trace(false, System.nanoTime());
        Decision d;
        try {
            d = admit(call, approved, trace);
        } catch (Throwable t) {
            d = failure(t, trace);
        }
        return hidingSecrets(d, call);
    }

    /**
     * Whether a tool should be offered to the model in this context (SPEC §8): false only when steps 1–3
     * would deny it whatever the arguments. A forbid entry whose condition reads {@code args} cannot be
     * decided without them, so it never hides a tool. Shadow-mode denials hide nothing. Never throws.
     */
    public boolean discoverable(String tool, Map<String, Object> ctx) {
        try {
            if (forceShadow) {
                return true;
            }
            if (bundle == null || tool == null) {
                return false;
            }
            Map<String, Object> context = ctx == null ? Map.of() : ctx;
            if (CallShape.contextProblem(context) != null) {
                return false;
            }
            for (ForbidEntry f : bundle.forbidsFor(tool)) {
                if (!f.enforced() || f.whenReadsArgs()) {
                    continue;
                }
                if (f.when() == null || !Boolean.FALSE.equals(f.when().evaluate(Map.of(), context, tool))) {
                    return false;
                }
            }
            ToolPolicy policy = bundle.tool(tool);
            if (policy == null) {
                return bundle.defaultAction() == Action.ALLOW;
            }
            return !policy.enforced() || roleProblem(tool, context) == null;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The session a call belongs to for {@code sequences}: {@code ctx.session.id}, else {@code ctx.user.id}, else null. */
    public static String sessionKey(Map<String, Object> ctx) {
        if (ctx == null) {
            return null;
        }
        Object session = at(ctx, "session", "id");
        if (session instanceof String || session instanceof Number) {
            return String.valueOf(session);
        }
        Object user = at(ctx, "user", "id");
        if (user instanceof String || user instanceof Number) {
            return String.valueOf(user);
        }
        return null;
    }

    /**
     * Whether this policy could deny an egress of {@code kind} made by a call of {@code tool}: its egress entry (or
     * {@code egress.default_in_tools}) restricts the kind, or a sequence names an egress event of it. The agent
     * denies such a tool's calls where no sensor can see that kind (SPEC §13, §18); with no policy every call is
     * denied anyway, so this is false. Never throws.
     */
    public boolean egressRestricted(String tool, EgressKind kind) {
        if (bundle == null || tool == null) {
            return false;
        }
        try {
            ToolPolicy policy = bundle.tool(tool);
            if (EgressDecider.restricts(bundle.egressDefaults(), policy == null ? null : policy.egress(), kind)) {
                return true;
            }
            if (bundle.egressSequences()) {
                String prefix = SequenceRule.EGRESS_PREFIX + kind.key() + ":";
                for (SequenceRule s : bundle.sequences()) {
                    for (var p : s.deny()) {
                        if (p.pattern().startsWith(prefix) || p.pattern().equals(SequenceRule.EGRESS_PREFIX + "*")) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true; // a policy that cannot say is taken to restrict
        }
    }

    /**
     * Decides one egress that a sensor saw (SPEC §18): the running call's tool may make it (its {@code egress} entry,
     * else {@code egress.default_in_tools}; outside any guarded call {@code egress.outside_tools}), and no sequence
     * over egress events denies it in the call's session. Never throws: a failure denies with rule {@code on_error}.
     *
     * @param tool    the tool of the guarded call running where the egress is made, or null outside any
     * @param ctx     that call's context (its session key arms and checks sequences), or null outside any
     */
    public EgressVerdict decideEgress(String tool, Map<String, Object> ctx, EgressRequest request) {
        try {
            if (bundle == null) {
                return tool == null ? EgressVerdict.UNWATCHED
                        : new EgressVerdict(false, true, true, NO_POLICY, "no policy loaded");
            }
            ToolPolicy policy = tool == null ? null : bundle.tool(tool);
            EgressVerdict v = EgressDecider.decide(bundle.egressDefaults(), tool, policy == null ? null : policy.egress(),
                    request);
            boolean enforced = (policy == null || policy.enforced()) && !forceShadow;
            if (!v.allowed() && !enforced) {
                v = v.unenforced();
            }
            if (v.blocks() || tool == null || !bundle.egressSequences()) {
                return v;
            }
            EgressVerdict sequenced = egressSequences(ctx, request);
            return sequenced != null ? sequenced : v;
        } catch (Throwable t) {
            return new EgressVerdict(false, true, true, ON_ERROR, "internal error while deciding an egress ("
                    + t.getClass().getSimpleName() + ")");
        }
    }

    /** A sequence that denies one of the egress's events in the call's session, or null. */
    private EgressVerdict egressSequences(Map<String, Object> ctx, EgressRequest request) {
        List<String> events = EgressReader.events(request);
        String session = sessionKey(ctx);
        EgressVerdict shadowed = null;
        for (SequenceRule s : bundle.sequences()) {
            String event = null;
            for (String e : events) {
                if (s.deniesEvent(e)) {
                    event = e;
                    break;
                }
            }
            if (event == null) {
                continue;
            }
            boolean enforced = s.enforced() && !forceShadow;
            EgressVerdict denial;
            if (session == null) {
                denial = new EgressVerdict(false, enforced, true, s.ruleId(), "the call has neither ctx.session.id nor"
                        + " ctx.user.id, so sequence '" + s.name() + "' cannot be checked for " + event);
            } else if (armedInSession(s, session)) {
                denial = new EgressVerdict(false, enforced, true, s.ruleId(), reasonOr(s.reason(), "egress " + event
                        + " may not follow " + s.after() + " "
                        + (s.within() == null ? "in the same session" : "within " + format(s.within()))));
            } else {
                continue;
            }
            if (denial.enforced()) {
                return denial;
            }
            shadowed = shadowed == null ? denial : shadowed;
        }
        return shadowed;
    }

    /** Whether something arming {@code s} ran in {@code session} within its time; an unanswering store denies. */
    private boolean armedInSession(SequenceRule s, String session) {
        long now = state.time().epochMillis();
        long since = now - (s.within() == null ? state.history().sessionTtl() : s.within()).toMillis();
        SharedState shared = state.shared();
        if (shared != null && shared.answering()) {
            try {
                SharedCheck.Result answer = shared.check(new SharedCheck(session,
                        List.of(new SharedCheck.Sequence(globs(s.after()), s.within() == null ? 0 : since, s.enforced())),
                        null, 0, null, null, 0, 0, null, List.of()));
                return answer.armed()[0];
            } catch (StateUnavailableException e) {
                if (shared.onUnavailable() != SharedState.OnUnavailable.LOCAL) {
                    return true; // a history that cannot be read is not an empty one
                }
            }
        }
        return state.history().anyAllowedSince(session, s::armedBy, since);
    }

    /**
     * An egress the policy allowed went ahead: its events enter the session's history where a sequence can be armed
     * by them ({@code after: ["egress:sql:crm.*"]}). Does nothing for bundles without egress sequences. Never throws.
     */
    public void egressRan(Map<String, Object> ctx, EgressRequest request) {
        try {
            if (bundle == null || !bundle.egressSequences()) {
                return;
            }
            String session = sessionKey(ctx);
            if (session == null) {
                return;
            }
            for (String event : EgressReader.events(request)) {
                if (!armsASequence(event)) {
                    continue;
                }
                SharedState shared = state.shared();
                long now = state.time().epochMillis();
                if (shared != null && shared.answering()) {
                    PendingCharges.allowed(shared, state.history(), session, event, now, keepMillis(event));
                } else {
                    long keep = Math.max(state.history().sessionTtl().toMillis(), longestWithinMillis);
                    PendingCharges.allowed(state.history(), session, event, now,
                            now > Long.MAX_VALUE - keep ? Long.MAX_VALUE : now + keep);
                }
            }
        } catch (RuntimeException e) {
            // an event not remembered can only arm less; the egress itself was already decided and written
        }
    }

    private Decision run(ToolCall call, Trace trace) {
        Decision d;
        try {
            d = bundle == null
                    ? decision(Action.DENY, true, "no policy loaded", NO_POLICY, null, null, trace)
                    : steps(call, trace);
            if (bundle != null && !d.enforced() && d.action() != Action.ALLOW && d.origin() == Decision.Origin.POLICY) {
                // a denial that is not enforced lets the body run: a shadow read arms an enforced sequence
                recordAllowed(call.tool(), call.ctx(), trace);
            }
        } catch (Throwable t) {
            d = failure(t, trace);
        }
        return hidingSecrets(d, call);
    }

    /**
     * The one way out of the engine: messages quote values ({@code cannot convert 'hunter2' to int}), so every
     * reason and trace message shows {@code [REDACTED]} where it held a redacted value of the call.
     */
    private Decision hidingSecrets(Decision d, ToolCall call) {
        CallSecrets secrets;
        try {
            secrets = call == null ? CallSecrets.NONE : redaction.secretsOf(call.args(), call.ctx());
        } catch (RuntimeException | StackOverflowError e) {
            // values that cannot even be walked are not shown: the reason says only that the walk failed
            return new Decision(Action.DENY, !forceShadow, "internal error while deciding (the call's values cannot be"
                    + " searched for secrets)", ON_ERROR, null, d.policyName(), d.policyVersion(), d.policySha256(),
                    d.latencyNanos(), null, List.of(), Decision.Origin.INTERNAL_ERROR, d.policySignature());
        }
        if (secrets.none()) {
            return d;
        }
        List<TraceStep> steps = d.trace();
        if (steps != null && !steps.isEmpty()) {
            List<TraceStep> hidden = new ArrayList<>(steps.size());
            for (TraceStep step : steps) {
                hidden.add(new TraceStep(step.step(), step.rule(), step.outcome(), secrets.hide(step.detail())));
            }
            steps = List.copyOf(hidden);
        }
        return new Decision(d.action(), d.enforced(), secrets.hide(d.reason()), d.rule(), d.field(), d.policyName(),
                d.policyVersion(), d.policySha256(), d.latencyNanos(), d.approval(), steps, d.origin(),
                d.policySignature());
    }

    /** A shadow-mode denial met on the way, returned only if the enforced steps let the call run. */
    private record ShadowDenial(String rule, String reason) {
    }

    private Decision steps(ToolCall call, Trace trace) {
        String shape = CallShape.problem(call);
        if (shape != null) {
            trace.error("input", ON_ERROR, shape);
            return decision(Action.DENY, true, "invalid call: " + shape, ON_ERROR, null, null, trace)
                    .withOrigin(Decision.Origin.INVALID_CALL);
        }
        String tool = call.tool();
        Map<String, Object> args = call.args();
        Map<String, Object> ctx = call.ctx();
        ShadowDenial shadow = null;

        // only the entries whose tools include this one: a bundle's forbid entries for other tools cost nothing
        for (ForbidEntry f : bundle.forbidsFor(tool)) {
            if (f.when() != null) {
                Object v = f.when().evaluate(args, ctx, tool);
                if (Boolean.FALSE.equals(v)) {
                    if (trace.full()) {
                        trace.step("forbid", f.ruleId(), "pass", "'" + f.when().source() + "' is false");
                    }
                    continue;
                }
                if (!(v instanceof Boolean)) {
                    trace.error("forbid", f.ruleId(), notABoolean(f.when(), v) + "; an erroring forbid forbids");
                }
            }
            String reason = reasonOr(f.reason(), "forbidden by " + f.ruleId());
            if (f.enforced()) {
                trace.step("forbid", f.ruleId(), "deny", reason);
                return decision(Action.DENY, true, reason, f.ruleId(), null, null, trace);
            }
            trace.step("forbid", f.ruleId(), "deny", reason + " (shadow mode: not enforced)");
            shadow = shadow == null ? new ShadowDenial(f.ruleId(), reason) : shadow;
        }

        ToolPolicy policy = bundle.tool(tool);
        if (policy == null) {
            Action fallback = bundle.defaultAction();
            String reason = "no policy names tool '" + tool + "' and the bundle's default is " + fallback.wireName();
            trace.step("known_tool", "default", fallback.wireName(), reason);
            if (fallback == Action.ALLOW && state.shared() != null) {
                Decision d = shared(state.shared(), null, call, true, sessionKey(ctx), null, null, false, reason,
                        "default", shadow, trace);
                if (d != null) {
                    return d;
                }
                trace.state(LOCAL); // the store does not answer and on_unavailable is local
            }
            if (fallback == Action.ALLOW) {
                recordAllowed(tool, ctx, trace);
            }
            return withShadow(decision(fallback, true, reason, "default", null, null, trace), shadow, trace);
        }
        if (trace.full()) {
            trace.step("known_tool", "tools." + policy.name(), "pass", "tool '" + tool + "' is named by tools." + policy.name());
        }
        boolean enforced = policy.enforced();

        String roleProblem = roleProblem(tool, ctx);
        if (roleProblem != null) {
            trace.step("roles", "roles", "deny", roleProblem);
            return withShadow(decision(Action.DENY, enforced, roleProblem, "roles", null, null, trace), shadow, trace);
        }
        trace.step("roles", "roles", "pass", bundle.hasRoles() ? "a role of the user grants the tool" : "the bundle has no roles");

        if (policy.arguments() != null) {
            ArgumentSchema.Failure failure = policy.arguments().validate(args);
            if (failure != null) {
                String rule = policy.ruleId("arguments");
                String reason = "argument " + failure.pointer() + " is not valid: " + failure.message();
                trace.step("arguments", rule, "deny", reason);
                return withShadow(decision(Action.DENY, enforced, reason, rule, failure.pointer(), null, trace), shadow, trace);
            }
            if (trace.full()) {
                trace.step("arguments", policy.ruleId("arguments"), "pass", "the arguments match the schema");
            }
        }

        for (ToolPolicy.Lock lock : policy.locks()) {
            Object expected = lock.value().evaluate(args, ctx, tool);
            String reason = null;
            String rule = null;
            if (expected instanceof EvalError e) {
                rule = policy.ruleId("lock." + lock.argument());
                trace.error("locks", rule, "'" + lock.value().source() + "' failed: " + e.message() + "; the lock fails");
                reason = "argument '" + lock.argument() + "' is locked to " + lock.value().source()
                        + ", which has no value here";
            } else if (!args.containsKey(lock.argument()) || !ValueEquality.equal(args.get(lock.argument()), expected)) {
                reason = "argument '" + lock.argument() + "' must equal " + lock.value().source();
            }
            if (reason != null || trace.full()) {
                rule = policy.ruleId("lock." + lock.argument());
            }
            if (reason != null) {
                trace.step("locks", rule, "deny", reason);
                return withShadow(decision(Action.DENY, enforced, reason, rule, lock.argument(), null, trace), shadow, trace);
            }
            if (trace.full()) {
                trace.step("locks", rule, "pass", "argument '" + lock.argument() + "' equals " + lock.value().source());
            }
        }

        String session = sessionKey(ctx);
        SharedState shared = state.shared();
        if (shared != null) {
            return sharedSteps(shared, policy, call, enforced, session, shadow, trace);
        }
        return localSteps(policy, call, enforced, session, shadow, trace);
    }

    /** Steps 6 to 8 on this process's memory. */
    private Decision localSteps(ToolPolicy policy, ToolCall call, boolean enforced, String session, ShadowDenial shadow,
                                Trace trace) {
        String tool = call.tool();
        boolean roomChecked = false;
        for (SequenceRule s : bundle.sequences()) {
            if (session != null && !roomChecked && s.armedBy(tool)) {
                // this call arms a sequence: it runs only if the history can remember it (never forgotten to make room)
                roomChecked = true;
                if (!state.history().hasRoom(session, state.time().epochMillis())) {
                    String reason = "the session history is full (state.max_sessions) of sessions that can still be"
                            + " denied, so this call, which sequence '" + s.name() + "' must remember, cannot run";
                    trace.error("sequences", s.ruleId(), reason);
                    if (s.enforced()) {
                        return withShadow(decision(Action.DENY, true, reason, s.ruleId(), null, null, trace), shadow, trace);
                    }
                    shadow = shadow == null ? new ShadowDenial(s.ruleId(), reason) : shadow;
                }
            }
            if (!s.denies(tool)) {
                continue;
            }
            if (session == null) {
                // nothing to check the call against: a sequence that could deny it denies it (SPEC §5 step 6)
                String reason = "the call has neither ctx.session.id nor ctx.user.id, so sequence '" + s.name()
                        + "' cannot be checked";
                trace.error("sequences", s.ruleId(), reason);
                if (s.enforced()) {
                    return withShadow(decision(Action.DENY, true, reason, s.ruleId(), null, null, trace), shadow, trace);
                }
                shadow = shadow == null ? new ShadowDenial(s.ruleId(), reason) : shadow;
                continue;
            }
            long since = state.time().epochMillis()
                    - (s.within() == null ? state.history().sessionTtl() : s.within()).toMillis();
            if (!state.history().anyAllowedSince(session, s::armedBy, since)) {
                if (trace.full()) {
                    trace.step("sequences", s.ruleId(), "pass", "no earlier call of " + s.after() + " in this session");
                }
                continue;
            }
            String reason = sequenceReason(s, tool);
            if (s.enforced()) {
                trace.step("sequences", s.ruleId(), "deny", reason);
                return withShadow(decision(Action.DENY, true, reason, s.ruleId(), null, null, trace), shadow, trace);
            }
            trace.step("sequences", s.ruleId(), "deny", reason + " (shadow mode: not enforced)");
            shadow = shadow == null ? new ShadowDenial(s.ruleId(), reason) : shadow;
        }

        Object ruled = ruleStep(policy, call, enforced, trace);
        if (ruled instanceof Decision d) {
            return withShadow(d, shadow, trace);
        }
        Rule matched = (Rule) ruled;
        Decision limited = chargeLimits(policy, call, enforced, trace);
        if (limited != null) {
            return limited;
        }
        recordAllowed(tool, call.ctx(), trace);
        return withShadow(decision(Action.ALLOW, enforced, allowReason(matched), matched.ruleId(), null, null, trace),
                shadow, trace);
    }

    /**
     * Step 7: the rule that allows the call, or the decision (without any shadow denial) when the rules do not.
     * One method for both results so that the memory path allocates nothing for it.
     */
    private Object ruleStep(ToolPolicy policy, ToolCall call, boolean enforced, Trace trace) {
        String tool = call.tool();
        // Errors never widen (SPEC §4): an erroring `when` skips an allow rule but applies a deny or
        // require_approval rule. Nothing is allocated for this unless a condition errors.
        Rule matched = null;
        String matchedBy = null;
        int skipped = 0;
        String firstSkip = null;
        for (Rule r : policy.rules()) {
            if (r.when() == null) {
                matched = r;
                break;
            }
            Object v = r.when().evaluate(call.args(), call.ctx(), tool);
            if (Boolean.TRUE.equals(v)) {
                matched = r;
                break;
            }
            if (Boolean.FALSE.equals(v)) {
                if (trace.full()) {
                    trace.step("rules", r.ruleId(), "no_match", "'" + r.when().source() + "' is false");
                }
            } else if (r.action() == Action.ALLOW) {
                trace.error("rules", r.ruleId(), notABoolean(r.when(), v) + "; an allow rule that errors is skipped");
                skipped++;
                firstSkip = firstSkip == null ? errorText(v) : firstSkip;
            } else {
                trace.error("rules", r.ruleId(), notABoolean(r.when(), v) + "; a " + r.action().wireName()
                        + " rule that errors applies");
                matched = r;
                matchedBy = errorText(v);
                break;
            }
        }
        if (matched == null) {
            String rule = policy.ruleId("rules");
            String reason = skippedNote(policy.rules().isEmpty()
                    ? "tool '" + tool + "' has no rules, so every call is denied"
                    : "no rule of tool '" + tool + "' allows this call", skipped, firstSkip);
            trace.step("rules", rule, "deny", reason);
            return decision(Action.DENY, enforced, reason, rule, null, null, trace);
        }
        String rule = matched.ruleId();
        if (matched.action() == Action.DENY) {
            String reason = skippedNote(erroredNote(reasonOr(matched.reason(), "denied by " + rule), matchedBy),
                    skipped, firstSkip);
            trace.step("rules", rule, "deny", reason);
            return decision(Action.DENY, enforced, reason, rule, null, null, trace);
        }
        if (matched.action() == Action.REQUIRE_APPROVAL) {
            String reason = skippedNote(erroredNote(reasonOr(matched.reason(), "a person must approve this call (" + rule + ")"),
                    matchedBy), skipped, firstSkip);
            trace.step("rules", rule, "require_approval", reason);
            return decision(Action.REQUIRE_APPROVAL, enforced, reason, rule, null, matched.approval(), trace);
        }
        if (trace.full()) {
            trace.step("rules", rule, "allow", reasonOr(matched.reason(), "allowed by " + rule));
        }
        return matched;
    }

    /**
     * Steps 6 to 8 with a shared store: the rules are evaluated first (they need no state), then the sequences
     * that could deny the call and its limits go to the store in one round trip. A call none of whose state lives
     * there never reaches it.
     */
    private Decision sharedSteps(SharedState shared, ToolPolicy policy, ToolCall call, boolean enforced,
                                 String session, ShadowDenial shadow, Trace trace) {
        String tool = call.tool();
        List<SequenceRule> sequences = null;
        for (SequenceRule s : bundle.sequences()) {
            if (!s.denies(tool)) {
                continue;
            }
            if (session == null) {
                // nothing to check the call against: a sequence that could deny it denies it (SPEC §5 step 6)
                String reason = "the call has neither ctx.session.id nor ctx.user.id, so sequence '" + s.name()
                        + "' cannot be checked";
                trace.error("sequences", s.ruleId(), reason);
                if (s.enforced()) {
                    return withShadow(decision(Action.DENY, true, reason, s.ruleId(), null, null, trace), shadow, trace);
                }
                shadow = shadow == null ? new ShadowDenial(s.ruleId(), reason) : shadow;
                continue;
            }
            sequences = sequences == null ? new ArrayList<>(2) : sequences;
            sequences.add(s);
        }
        Object step7 = ruleStep(policy, call, enforced, trace);
        Decision ruled = step7 instanceof Decision d ? d : null;
        Rule matched = ruled == null ? (Rule) step7 : null;
        boolean limits = ruled == null && hasLimits(policy);
        Decision d = shared(shared, policy, call, enforced, session, sequences, ruled, limits,
                ruled == null ? allowReason(matched) : null, ruled == null ? matched.ruleId() : null, shadow, trace);
        if (d != null) {
            return d;
        }
        // the store does not answer and on_unavailable is local: this process's memory decides, and says so
        Trace local = new Trace(trace.full(), trace.started());
        local.state(LOCAL);
        return localSteps(policy, call, enforced, session, shadow, local);
    }

    /**
     * Asks the shared store what the call needs of it (its sequences, its limits, its place in the history) and
     * decides from the answer; null when the store does not answer and {@code on_unavailable} is {@code local}.
     *
     * @param ruled      step 7's decision when it is not an allow (the sequences still come first), else null
     * @param limits     whether the call's rate limit and budget are to be charged
     * @param allowRule  the rule of the allow the call gets when nothing stops it
     */
    private Decision shared(SharedState shared, ToolPolicy policy, ToolCall call, boolean enforced, String session,
                            List<SequenceRule> sequences, Decision ruled, boolean limits, String allowReason,
                            String allowRule, ShadowDenial shadow, Trace trace) {
        String tool = call.tool();
        boolean records = ruled == null && session != null && armsASequence(tool);
        if (sequences == null && !limits && !records) {
            // nothing of this call lives in the store: it is never asked (SPEC §14)
            return withShadow(ruled != null ? ruled
                    : decision(Action.ALLOW, enforced, allowReason, allowRule, null, null, trace), shadow, trace);
        }
        if (!shared.answering()) {
            return unanswered(shared, ruled, enforced, allowReason, allowRule, shadow, trace);
        }
        RateLimit rateLimit = limits ? policy.rateLimit() : null;
        Budget budget = limits ? policy.budget() : null;
        Decision problem = null;
        String bucket = null;
        String account = null;
        double cost = 0;
        List<Bucket> more = null;
        if (limits) {
            Object applicable = applicableLimits(policy, call, enforced, trace);
            if (applicable instanceof Decision d) {
                problem = d;
            } else {
                @SuppressWarnings("unchecked")
                List<Bucket> m = (List<Bucket>) applicable;
                more = m;
            }
        }
        if (rateLimit != null && problem == null) {
            Object key = limitKey(rateLimit.key(), call);
            if (key instanceof EvalError e) {
                problem = rateKeyDenial(policy, e, enforced, trace);
            } else {
                bucket = policy.name() + '\u0000' + key;
            }
        }
        if (budget != null && problem == null) {
            Object c = budget.cost().evaluate(call.args(), call.ctx(), call.tool());
            Object key = limitKey(budget.key(), call);
            String why = budgetProblem(budget, c, key);
            if (why != null) {
                String rule = policy.ruleId("budget");
                trace.error("limits", rule, why);
                problem = decision(Action.DENY, enforced, why, rule, null, null, trace);
            } else {
                cost = ((Number) c).doubleValue();
                account = policy.name() + '\u0000' + key;
            }
        }
        if (problem != null) {
            bucket = null;
            account = null;
            more = null;
        }
        SharedCheck.Result answer = null;
        if (sequences != null || bucket != null || account != null || more != null) {
            List<SharedCheck.Sequence> looked = List.of();
            if (sequences != null) {
                long now = state.time().epochMillis();
                SharedCheck.Sequence[] each = new SharedCheck.Sequence[sequences.size()];
                for (int i = 0; i < each.length; i++) {
                    SequenceRule s = sequences.get(i);
                    each[i] = new SharedCheck.Sequence(globs(s.after()),
                            s.within() == null ? 0 : now - s.within().toMillis(), s.enforced());
                }
                looked = List.of(each);
            }
            try {
                answer = shared.check(new SharedCheck(session, looked, bucket,
                        rateLimit == null ? 0 : rateLimit.limit(), rateLimit == null ? null : rateLimit.per(),
                        account, cost, budget == null ? 0 : budget.limit(), budget == null ? null : budget.per(),
                        sharedBuckets(more)));
            } catch (StateUnavailableException e) {
                return unanswered(shared, ruled, enforced, allowReason, allowRule, shadow, trace);
            }
        }
        if (sequences != null) {
            for (int i = 0; i < sequences.size(); i++) {
                SequenceRule s = sequences.get(i);
                if (!answer.armed()[i]) {
                    if (trace.full()) {
                        trace.step("sequences", s.ruleId(), "pass", "no earlier call of " + s.after() + " in this session");
                    }
                    continue;
                }
                String reason = sequenceReason(s, tool);
                if (s.enforced()) {
                    trace.step("sequences", s.ruleId(), "deny", reason);
                    return withShadow(decision(Action.DENY, true, reason, s.ruleId(), null, null, trace), shadow, trace);
                }
                trace.step("sequences", s.ruleId(), "deny", reason + " (shadow mode: not enforced)");
                shadow = shadow == null ? new ShadowDenial(s.ruleId(), reason) : shadow;
            }
        }
        if (ruled != null) {
            return withShadow(ruled, shadow, trace);
        }
        if (problem != null) {
            return problem;
        }
        if (answer != null && answer.limit() == SharedCheck.NO_TOKEN) {
            RateLimit empty = answer.empty() < 0 || more == null ? rateLimit : more.get(answer.empty()).limit();
            String rule = empty.rule() == null ? policy.ruleId("rate_limit") : empty.rule();
            String reason = rateLimitReason(empty);
            trace.step("limits", rule, "deny", reason);
            return decision(Action.DENY, enforced, reason, rule, null, null, trace);
        }
        if (answer != null && answer.limit() == SharedCheck.NO_BUDGET) {
            String reason = budgetReason(cost, budget);
            trace.step("limits", policy.ruleId("budget"), "deny", reason);
            return decision(Action.DENY, enforced, reason, policy.ruleId("budget"), null, null, trace);
        }
        if (answer != null && answer.charged() != null) {
            // taken now, so that limits stay exact across processes; the agent gives them back if the record fails
            PendingCharges.charged(shared, answer.charged());
        }
        if (records) {
            recordAllowed(tool, call.ctx(), trace);
        }
        return withShadow(decision(Action.ALLOW, enforced, allowReason, allowRule, null, null, trace), shadow, trace);
    }

    /** The shared store does not answer: {@code on_unavailable} decides (null for {@code local}: memory decides). */
    private Decision unanswered(SharedState shared, Decision ruled, boolean enforced, String allowReason,
                                String allowRule, ShadowDenial shadow, Trace trace) {
        switch (shared.onUnavailable()) {
            case DENY -> {
                String reason = "the shared state store does not answer, and this call needs it";
                trace.step("state", STATE_UNAVAILABLE, "deny", reason);
                return decision(Action.DENY, enforced, reason, STATE_UNAVAILABLE, null, null, trace);
            }
            case ALLOW -> {
                trace.state(UNAVAILABLE);
                return withShadow(ruled != null ? ruled
                        : decision(Action.ALLOW, enforced, allowReason, allowRule, null, null, trace), shadow, trace);
            }
            default -> {
                return null;
            }
        }
    }

    /** How long the shared history keeps a call of {@code tool}: the longest look-back of a sequence it arms. */
    private long keepMillis(String tool) {
        long keep = 0;
        for (SequenceRule s : bundle.sequences()) {
            if (s.armedBy(tool)) {
                keep = Math.max(keep, s.within() == null ? state.history().sessionTtl().toMillis() : s.within().toMillis());
            }
        }
        return keep;
    }

    private static List<String> globs(List<ToolPattern> patterns) {
        String[] out = new String[patterns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = patterns.get(i).pattern();
        }
        return List.of(out);
    }

    private static String sequenceReason(SequenceRule s, String tool) {
        return reasonOr(s.reason(), "tool '" + tool + "' may not follow " + s.after() + " "
                + (s.within() == null ? "in the same session" : "within " + format(s.within())));
    }

    private Decision admit(ToolCall call, Decision approved, Trace trace) {
        if (bundle == null) {
            return decision(Action.DENY, true, "no policy loaded", NO_POLICY, null, null, trace);
        }
        String shape = CallShape.problem(call);
        if (shape != null) {
            trace.error("input", ON_ERROR, shape);
            return decision(Action.DENY, true, "invalid call: " + shape, ON_ERROR, null, null, trace)
                    .withOrigin(Decision.Origin.INVALID_CALL);
        }
        boolean enforced = approved == null || approved.enforced();
        ToolPolicy policy = bundle.tool(call.tool());
        String rule = approved == null ? (policy == null ? "default" : policy.ruleId("rules")) : approved.rule();
        SharedState shared = state.shared();
        if (shared != null) {
            boolean limits = policy != null && hasLimits(policy);
            Decision d = shared(shared, policy, call, enforced, sessionKey(call.ctx()), null, null, limits,
                    "approved by a person", rule, null, trace);
            if (d != null) {
                return d;
            }
            trace.state(LOCAL); // the store does not answer and on_unavailable is local
        }
        if (policy != null) {
            Decision limited = chargeLimits(policy, call, enforced, trace);
            if (limited != null) {
                return limited;
            }
        }
        recordAllowed(call.tool(), call.ctx(), trace);
        return decision(Action.ALLOW, enforced, "approved by a person", rule, null, null, trace);
    }

    /** Step 8: null when the call has room (and has been charged), else the denial saying which limit. */
    private Decision chargeLimits(ToolPolicy policy, ToolCall call, boolean enforced, Trace trace) {
        // the entries of a rate_limit list and the bundle's limits that apply; null (nothing allocated) for a tool
        // with a single plain limit or none, in a bundle without limits
        Object applicable = applicableLimits(policy, call, enforced, trace);
        if (applicable instanceof Decision d) {
            return d;
        }
        @SuppressWarnings("unchecked")
        List<Bucket> more = (List<Bucket>) applicable;
        RateLimit rateLimit = policy.rateLimit();
        String bucket = null;
        if (rateLimit != null) {
            String rule = policy.ruleId("rate_limit");
            Object key = limitKey(rateLimit.key(), call);
            if (key instanceof EvalError e) {
                return rateKeyDenial(policy, e, enforced, trace);
            }
            String candidate = policy.name() + '\u0000' + key;
            if (!state.rateLimiter().tryAcquire(candidate, rateLimit.limit(), rateLimit.per())) {
                String reason = rateLimitReason(rateLimit);
                trace.step("limits", rule, "deny", reason);
                return decision(Action.DENY, enforced, reason, rule, null, null, trace);
            }
            bucket = candidate;
            trace.step("limits", rule, "pass", "a token was taken");
        }
        if (more != null) {
            // every applicable entry must have room; a call denied by one gives back what the others took
            for (int i = 0; i < more.size(); i++) {
                Bucket b = more.get(i);
                if (!state.rateLimiter().tryAcquire(b.id(), b.limit().limit(), b.limit().per())) {
                    giveBack(bucket, rateLimit);
                    giveBack(more, i);
                    String reason = rateLimitReason(b.limit());
                    trace.step("limits", b.limit().rule(), "deny", reason);
                    return decision(Action.DENY, enforced, reason, b.limit().rule(), null, null, trace);
                }
                trace.step("limits", b.limit().rule(), "pass", "a token was taken");
            }
        }
        Budget budget = policy.budget();
        String account = null;
        double charged = 0;
        if (budget != null) {
            String rule = policy.ruleId("budget");
            Object c = budget.cost().evaluate(call.args(), call.ctx(), call.tool());
            Object key = limitKey(budget.key(), call);
            String problem = budgetProblem(budget, c, key);
            double cost = problem == null ? ((Number) c).doubleValue() : 0;
            if (problem != null) {
                trace.error("limits", rule, problem);
                giveBack(bucket, rateLimit);
                giveBack(more, more == null ? 0 : more.size());
                return decision(Action.DENY, enforced, problem, rule, null, null, trace);
            }
            account = policy.name() + '\u0000' + key;
            if (!state.budgets().tryCharge(account, cost, budget.limit(), budget.per())) {
                giveBack(bucket, rateLimit);
                giveBack(more, more == null ? 0 : more.size());
                String reason = budgetReason(cost, budget);
                trace.step("limits", rule, "deny", reason);
                return decision(Action.DENY, enforced, reason, rule, null, null, trace);
            }
            if (trace.full()) {
                trace.step("limits", rule, "pass", "charged " + number(cost));
            }
            charged = cost;
        }
        // taken now, so that limits stay exact under races; the agent gives them back if the record cannot be written
        if (bucket != null) {
            PendingCharges.tokenTaken(state.rateLimiter(), bucket, rateLimit.limit(), rateLimit.per());
        }
        if (more != null) {
            for (int i = 0; i < more.size(); i++) {
                Bucket b = more.get(i);
                PendingCharges.tokenTaken(state.rateLimiter(), b.id(), b.limit().limit(), b.limit().per());
            }
        }
        if (account != null) {
            PendingCharges.charged(state.budgets(), account, charged, budget.per(), state.time().epochMillis());
        }
        return null;
    }

    /** One applicable entry of a {@code rate_limit} list or of the bundle's {@code limits}, and its bucket id. */
    private record Bucket(RateLimit limit, String id) {
    }

    /**
     * The entries of the tool's {@code rate_limit} list and the bundle's {@code limits} that apply to this call,
     * with their buckets (null when there are none), or the denial when a key cannot be computed. A condition that
     * errors applies its entry: errors never widen (SPEC §4).
     */
    private Object applicableLimits(ToolPolicy policy, ToolCall call, boolean enforced, Trace trace) {
        List<RateLimit> own = policy.rateLimits();
        List<CrossToolLimit> across = bundle.limits();
        if (own.isEmpty() && across.isEmpty()) {
            return null;
        }
        List<Bucket> out = null;
        for (int i = 0, n = own.size() + across.size(); i < n; i++) {
            RateLimit l;
            if (i < own.size()) {
                l = own.get(i);
            } else {
                CrossToolLimit c = across.get(i - own.size());
                if (!c.counts(call.tool())) {
                    continue;
                }
                l = c.limit();
            }
            if (l.when() != null) {
                Object holds = l.when().evaluate(call.args(), call.ctx(), call.tool());
                if (holds instanceof EvalError e) {
                    trace.error("limits", l.rule(), "'" + l.when().source() + "' failed: " + e.message()
                            + "; the limit applies");
                } else if (!(holds instanceof Boolean)) {
                    trace.error("limits", l.rule(), notABoolean(l.when(), holds) + "; the limit applies");
                } else if (!(Boolean) holds) {
                    continue;
                }
            }
            Object key = limitKey(l.key(), call);
            if (key instanceof EvalError e) {
                trace.error("limits", l.rule(), "the rate limit key failed: " + e.message());
                return decision(Action.DENY, enforced, "the rate limit key could not be computed: " + e.message(),
                        l.rule(), null, null, trace);
            }
            out = out == null ? new ArrayList<>(4) : out;
            out.add(new Bucket(l, l.rule() + '\u0000' + key));
        }
        return out;
    }

    /** Whether step 8 has anything to check for this tool. */
    private boolean hasLimits(ToolPolicy policy) {
        return policy.rateLimit() != null || policy.budget() != null || !policy.rateLimits().isEmpty()
                || !bundle.limits().isEmpty();
    }

    private static List<SharedCheck.Bucket> sharedBuckets(List<Bucket> more) {
        if (more == null) {
            return List.of();
        }
        SharedCheck.Bucket[] out = new SharedCheck.Bucket[more.size()];
        for (int i = 0; i < out.length; i++) {
            Bucket b = more.get(i);
            out[i] = new SharedCheck.Bucket(b.id(), b.limit().limit(), b.limit().per());
        }
        return List.of(out);
    }

    /** Gives back the tokens taken from the first {@code taken} buckets. */
    private void giveBack(List<Bucket> buckets, int taken) {
        for (int i = 0; buckets != null && i < taken; i++) {
            Bucket b = buckets.get(i);
            state.rateLimiter().release(b.id(), b.limit().limit(), b.limit().per());
        }
    }

    private Decision rateKeyDenial(ToolPolicy policy, EvalError e, boolean enforced, Trace trace) {
        String rule = policy.ruleId("rate_limit");
        trace.error("limits", rule, "the rate limit key failed: " + e.message());
        return decision(Action.DENY, enforced, "the rate limit key could not be computed: " + e.message(), rule,
                null, null, trace);
    }

    /** Why a budget cannot be charged for this call (its cost or key failed), or null when it can. */
    private static String budgetProblem(Budget budget, Object cost, Object key) {
        if (cost instanceof EvalError e) {
            return "the budget cost could not be computed: " + e.message();
        }
        if (!(cost instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < 0) {
            return "the budget cost '" + budget.cost().source() + "' gave " + describe(cost)
                    + ", not a number of 0 or more";
        }
        if (key instanceof EvalError e) {
            return "the budget key could not be computed: " + e.message();
        }
        return null;
    }

    private static String rateLimitReason(RateLimit rateLimit) {
        return "rate limit reached: at most " + rateLimit.limit() + (rateLimit.limit() == 1 ? " call per " : " calls per ")
                + format(rateLimit.per());
    }

    private static String budgetReason(double cost, Budget budget) {
        return "budget exceeded: this call's cost of " + number(cost) + " would pass the limit of "
                + number(budget.limit()) + " per " + format(budget.per());
    }

    private void giveBack(String bucket, RateLimit rateLimit) {
        if (bucket != null) {
            state.rateLimiter().release(bucket, rateLimit.limit(), rateLimit.per());
        }
    }

    /** The key string of a limit: canonical JSON of the value (or list of values), or the first error. */
    private static Object limitKey(LimitKey key, ToolCall call) {
        List<Expression> parts = key.parts();
        if (!key.list()) {
            Object v = parts.get(0).evaluate(call.args(), call.ctx(), call.tool());
            return v instanceof EvalError ? v : CanonicalJson.of(v);
        }
        List<Object> values = new ArrayList<>(parts.size());
        for (Expression e : parts) {
            Object v = e.evaluate(call.args(), call.ctx(), call.tool());
            if (v instanceof EvalError) {
                return v;
            }
            values.add(v);
        }
        return CanonicalJson.of(values);
    }

    /** Step 3: null when roles and agent scopes grant the tool, else why not. */
    private String roleProblem(String tool, Map<String, Object> ctx) {
        if (bundle.hasRoles()) {
            Object roles = at(ctx, "user", "roles");
            boolean granted = false;
            if (roles instanceof List<?> list) {
                for (Object role : list) {
                    List<ToolPattern> grants = role instanceof String name ? bundle.roles().get(name) : null;
                    if (grants != null && anyMatches(grants, tool)) {
                        granted = true;
                        break;
                    }
                }
            }
            if (!granted) {
                return roles == null
                        ? "the caller has no roles, and tool '" + tool + "' needs one that grants it"
                        : "no role of the caller grants tool '" + tool + "'";
            }
        }
        Object scopes = at(ctx, "agent", "scopes");
        if (scopes != null) {
            boolean granted = false;
            if (scopes instanceof List<?> list) {
                for (Object scope : list) {
                    if (scope instanceof String glob && ToolPattern.globMatches(glob, tool)) {
                        granted = true;
                        break;
                    }
                }
            }
            if (!granted) {
                return "the agent's scopes do not include tool '" + tool + "'";
            }
        }
        return null;
    }

    /** True when a call of {@code tool} arms some sequence of this bundle: remembering it can deny a later call. */
    private boolean armsASequence(String tool) {
        if (bundle == null) {
            return false;
        }
        for (SequenceRule s : bundle.sequences()) {
            if (s.armedBy(tool)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyMatches(List<ToolPattern> patterns, String tool) {
        for (ToolPattern p : patterns) {
            if (p.matches(tool)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The call will run (allowed, or denied in shadow mode only): it enters the session history, kept as long as
     * the longest {@code within} of the bundle or {@code state.session_ttl} (SPEC §5 step 6).
     */
    private void recordAllowed(String tool, Map<String, Object> ctx, Trace trace) {
        SharedState shared = state.shared();
        if (shared != null && shared.answering()) {
            // the fleet's history keeps only what a sequence of the bundle can ask for (SPEC §14: no other command)
            String session = sessionKey(ctx);
            if (session != null && armsASequence(tool) && trace.markRecorded()) {
                PendingCharges.allowed(shared, state.history(), session, tool, state.time().epochMillis(), keepMillis(tool));
            }
            return;
        }
        String session = sessionKey(ctx);
        if (session != null && trace.markRecorded() && (!state.history().full(session) || armsASequence(tool))) {
            long now = state.time().epochMillis();
            long keep = Math.max(state.history().sessionTtl().toMillis(), longestWithinMillis);
            PendingCharges.allowed(state.history(), session, tool, now, now > Long.MAX_VALUE - keep ? Long.MAX_VALUE : now + keep);
        }
    }

    private Decision withShadow(Decision outcome, ShadowDenial shadow, Trace trace) {
        if (shadow == null || (outcome.action() != Action.ALLOW && outcome.enforced())) {
            return outcome;
        }
        return decision(Action.DENY, false, shadow.reason(), shadow.rule(), null, null, trace);
    }

    private Decision failure(Throwable t, Trace trace) {
        String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        trace.error("internal", ON_ERROR, what);
        return decision(Action.DENY, true, "internal error while deciding (" + what + ")", ON_ERROR, null, null, trace)
                .withOrigin(Decision.Origin.INTERNAL_ERROR);
    }

    private Decision decision(Action action, boolean enforced, String reason, String rule, String field,
                              ApprovalSpec approval, Trace trace) {
        // the latency is taken here, as the decision is made, so that no second Decision is built for it
        return new Decision(action, enforced && !forceShadow, reason, rule, field,
                bundle == null ? null : bundle.name(), bundle == null ? null : bundle.version(),
                bundle == null ? null : bundle.sha256(), System.nanoTime() - trace.started(), approval, trace.steps(),
                Decision.Origin.POLICY, bundle == null ? null : bundle.signature());
    }

    /** What an erroring condition gave, for a reason: the error's message, or the value that is not a boolean. */
    private static String errorText(Object v) {
        return v instanceof EvalError err ? err.message() : "gave " + describe(v) + ", not true or false";
    }

    /** The reason of a deny or require_approval rule applied because its condition errored names the error. */
    private static String erroredNote(String reason, String error) {
        return error == null ? reason : reason + " (the rule applies because its condition failed: " + error + ")";
    }

    /** A denial after allow rules were skipped says so, with the first error: the usual cause of a surprise. */
    private static String skippedNote(String reason, int skipped, String firstError) {
        return skipped == 0 ? reason
                : reason + " (" + skipped + (skipped == 1 ? " rule" : " rules") + " skipped: " + firstError + ")";
    }

    private static String notABoolean(Expression e, Object v) {
        return v instanceof EvalError err
                ? "'" + e.source() + "' failed: " + err.message()
                : "'" + e.source() + "' gave " + describe(v) + ", not true or false";
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** A duration the way policies write it: 1h, 30m, 1d, 250ms. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    /** {@code root.a.b}, or null when a step is missing or not a map. */
    private static Object at(Map<String, Object> root, String a, String b) {
        Object first = root == null ? null : root.get(a);
        return first instanceof Map<?, ?> map ? map.get(b) : null;
    }

    /** A short description of a value for reasons and traces, never the whole of a long value. */
    private static String describe(Object value) {
        if (value instanceof String s) {
            return s.length() > 40 ? "a string of " + s.length() + " characters" : "\"" + s + "\"";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
