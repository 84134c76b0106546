package dev.toolguard.agent.egress;

import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.agent.runtime.Dispatcher;
import dev.toolguard.agent.runtime.RunningCall;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.EgressRecord;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.egress.EgressDefaults;
import dev.toolguard.policy.egress.EgressKind;
import dev.toolguard.policy.egress.EgressRequest;
import dev.toolguard.policy.egress.EgressVerdict;
import dev.toolguard.policy.load.CompiledBundle;

import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The agent's side of the egress sensors (SPEC §18): what a sensor sees is read into plain values, checked by the
 * engine against the guarded call running where it is made, written as an {@code egress} record linked to that
 * call's id, counted, and refused at its call site by throwing {@link ToolCallDeniedException} before anything
 * leaves. Credentials are released here, and only here, into a request an allowed call makes.
 *
 * <p>Failing closed: inside a guarded call, an egress that cannot be read is refused where its kind is restricted,
 * and one whose record cannot be written is refused; a failure of this class is refused by the bridge. Outside any
 * guarded call nothing is read unless {@code egress.outside_tools} asks for it.
 */
public final class EgressSensors implements Dispatcher.EgressCheck {

    /** The rule a refusal of unseen egress names, as the call's own denial does (SPEC §13.4). */
    private static final String ON_ERROR = "on_error";

    private final ActivePolicy active;
    private final PolicyEngine noPolicy;
    private final AuditLog audit;
    private final Metrics metrics;
    private final Credentials credentials;
    private final Consumer<String> diagnostics;
    /** {@code mode: shadow}: a refusal of unseen egress is written but not enforced, as the call's would be. */
    private final boolean shadow;
    private final SqlText sql = new SqlText();
    private final WeakNotes<String> notes = new WeakNotes<>();
    private final CheckedConnections connections = new CheckedConnections();
    /** The call each HTTP client's own follow-up requests are made for (see {@link Carried}). */
    private final WeakNotes<Carried> carriers = new WeakNotes<>();
    private final ThreadLocal<SensorThread> threads = ThreadLocal.withInitial(SensorThread::new);

    /** What this class keeps per thread. */
    private static final class SensorThread {
        /** Set while this thread checks an egress: what the check itself sends (a driver asked for its schema) passes. */
        boolean busy;
        /**
         * What the redirect filter the JDK client makes next on this thread is tied to: set when a request of a client
         * that follows redirects passed its check, taken by the filter the client then makes for it (in the same
         * {@code sendAsync}); null for a client that follows none, which so pays nothing more.
         */
        Carried jdkRedirects;
        /**
         * The Apache HttpClient request this thread's {@code doExecute} just checked, until the client makes the
         * scope of its first exchange from it: that scope is that very request (checked), every later one a hop.
         */
        Object apacheChecked;
        /**
         * The scope of an Apache async client's request this thread just checked, until its first exchange reaches the
         * step that leases its connection (next, on this thread): that exchange is the request checked, not a hop.
         */
        Object apacheAsyncFirst;
        /**
         * The message the static {@code Transport.send} last let through on this thread, with its call and the
         * recipients checked: the transport's {@code sendMessage} it then calls for them is not checked (nor written)
         * a second time. Never cleared, and never needed to be: what it spares was allowed for that very call.
         */
        MailSent mailSent;
    }

    /** A message {@code Transport.send} let through: for whom, to whom. */
    private record MailSent(RunningCall call, Object message, List<String> recipients) {
    }

    /**
     * The call an HTTP client's requests of its own (the hops of a redirect it follows) are made for: tied to the
     * client's object for one request (the JDK client's redirect handling, an OkHttp call) on the thread that sends it,
     * and read where the hop is made, perhaps on the client's own threads, perhaps after the call returned (its body
     * may send asynchronously): the hop is still that call's egress.
     */
    private static final class Carried {
        /** The call, or null when the request was sent outside any (or by the agent itself). */
        final RunningCall call;
        final boolean agentsOwn;
        /** The request last let through for this carrier: sent again (a retry), it is not checked again. */
        volatile Object last;

        Carried(RunningCall call, boolean agentsOwn, Object last) {
            this.call = call;
            this.agentsOwn = agentsOwn;
            this.last = last;
        }
    }

    /**
     * @param audit the audit log, or null when it could not be opened (then every egress that needs a record is
     *              refused inside guarded calls)
     * @param shadow {@code mode: shadow}
     */
    public EgressSensors(ActivePolicy active, PolicyEngine noPolicy, AuditLog audit, Metrics metrics,
                         Credentials credentials, boolean shadow, Consumer<String> diagnostics) {
        this.shadow = shadow;
        this.active = active;
        this.noPolicy = noPolicy;
        this.audit = audit;
        this.metrics = metrics;
        this.credentials = credentials;
        this.diagnostics = diagnostics;
    }

    @Override
    public void note(String sensor, Object self, Object value) {
        if (self != null && value instanceof String text) {
            notes.put(self, text);
        }
    }

    @Override
    public void carrier(String sensor, Object carrier) {
        SensorThread thread = threads.get();
        Carried c = thread.jdkRedirects;
        if (c != null) {
            thread.jdkRedirects = null;
            carriers.put(carrier, c);
        }
        // else its request went to a client that follows no redirect: the filter makes no hop
    }

    @Override
    public void hop(String sensor, Object carrier, Object request) {
        if ("http-apache5-async-hop".equals(sensor)) {
            apacheAsyncHop(carrier, request);
            return;
        }
        Carried c = carriers.get(carrier);
        if (c != null && c.last == request) {
            return; // the request let through already, sent again
        }
        decide(sensor, carrier, request, c == null ? null : c.call, c != null && c.agentsOwn);
        if (c != null) {
            c.last = request;
        }
    }

    @Override
    public Object check(String sensor, Object self, Object subject, RunningCall running, boolean agentsOwn) {
        if ("http-apache5-async".equals(sensor)) {
            return apacheAsync(self, subject, running, agentsOwn);
        }
        if (!"http-jdk".equals(sensor)) {
            return decide(sensor, self, subject, running, agentsOwn);
        }
        SensorThread thread = threads.get();
        thread.jdkRedirects = null;
        Object out = decide(sensor, self, subject, running, agentsOwn); // throws when refused
        // the client follows redirects inside itself, perhaps on its own threads: the redirect filter it makes for this
        // request, next on this thread, is tied to this call (or to none, or to the agent's own request)
        if (self instanceof HttpClient client && client.followRedirects() != HttpClient.Redirect.NEVER) {
            thread.jdkRedirects = new Carried(running, agentsOwn || (running == null && agentThread()), null);
        }
        return out;
    }

    /**
     * The scope of an Apache async client's request ({@code AsyncExecChain.Scope}, its constructor's arguments): the
     * first, made on the calling thread from the application's request before anything is sent, is checked like a
     * classic client's request; the request's exchanges are tied to the call through its future (the scope's
     * {@code cancellableDependency}, which every later scope of the request shares), so that those the client makes by
     * itself on its own threads are checked against that call ({@link #apacheAsyncHop}). A later scope (a redirect's)
     * is left to that check.
     */
    private Object apacheAsync(Object scope, Object subject, RunningCall running, boolean agentsOwn) {
        Object exchange = ((Object[]) subject)[3];
        if (exchange != null && carriers.get(exchange) != null) {
            return subject; // a scope the redirect handling made, or the one just checked made again by its other constructor
        }
        SensorThread thread = threads.get();
        thread.apacheAsyncFirst = null;
        Object out = decide("http-apache5-async", scope, subject, running, agentsOwn); // throws when refused
        thread.apacheAsyncFirst = scope;
        if (exchange != null) {
            carriers.put(exchange, new Carried(running, agentsOwn || (running == null && agentThread()), null));
        }
        return out;
    }

    /**
     * An exchange of an Apache async client's request about to lease its connection: the first, on the thread that
     * checked its scope a moment ago, passes; any other (a redirect, a retry, on the client's own threads) is checked
     * against the call the request was checked for. A scope whose request cannot be told is refused (by the bridge).
     */
    private void apacheAsyncHop(Object scope, Object request) {
        SensorThread thread = threads.get();
        if (scope != null && thread.apacheAsyncFirst == scope) {
            thread.apacheAsyncFirst = null;
            return;
        }
        Object exchange;
        try {
            exchange = SensedEgress.apache5AsyncExchange(scope);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the exchange of an Apache async request cannot be read", e);
        }
        Carried c = exchange == null ? null : carriers.get(exchange);
        decide("http-apache5-async-hop", scope, request, c == null ? null : c.call, c != null && c.agentsOwn);
    }

    private Object decide(String sensor, Object self, Object subject, RunningCall running, boolean agentsOwn) {
        if (agentsOwn) {
            return subject;
        }
        SensorThread thread = threads.get();
        if (thread.busy) {
            return subject;
        }
        PolicyEngine engine;
        if (running != null) {
            engine = running.engine();
        } else {
            ActivePolicy.Snapshot policy = active.current();
            engine = policy.loaded() ? policy.engine() : noPolicy;
            if (outsideUnwatched(engine) || agentThread()) {
                return subject; // nothing to decide and nothing to write: not even read
            }
        }
        EgressKind kind = SensedEgress.kindOf(sensor);
        if ("http-url-connection-socket".equals(sensor) && connections.checked(self)) {
            return subject; // its first use checked this very URL
        }
        if ("http-apache5-hop".equals(sensor) && thread.apacheChecked == subject) {
            thread.apacheChecked = null;
            return subject; // the scope of the request doExecute checked: its first exchange, not a hop
        }
        thread.busy = true;
        try {
            if ("jdbc-prepared".equals(sensor) && !(self instanceof PreparedStatement)) {
                return subject; // a plain statement's batch: each of its texts was checked when it was added
            }
            EgressRequest request = read(sensor, self, subject);
            if ("mail-transport".equals(sensor) && sentAlready(thread.mailSent, running, subject, request)) {
                return subject; // Transport.send checked this message for these recipients a moment ago
            }
            String tool = running == null ? null : running.tool();
            EgressVerdict v = engine.decideEgress(tool, running == null ? null : running.ctx(), request);
            if (v.allowed() && running != null && kind == EgressKind.HTTP && sensor.endsWith("-hop")) {
                String carried = credentials.carriedAway(sensor, subject, request, running.tool());
                if (carried != null) {
                    // a secret leaving for where it is not released is never only written down, not even in shadow
                    v = new EgressVerdict(false, true, true, "credentials." + carried, "the request ("
                            + request.describe() + ") would carry credential " + carried
                            + ", which is not released to it");
                }
            }
            if (!v.allowed()) {
                String hop = hopOf(sensor, self);
                if (hop != null) {
                    v = new EgressVerdict(false, v.enforced(), v.record(), v.rule(), v.reason() + "; " + hop);
                }
            }
            if (v.record()) {
                write(running, kind, request, v, engine);
            }
            metrics.egress(kind, v.allowed() ? 0 : v.enforced() ? 1 : 2);
            if (v.blocks()) {
                String who = engine.bundle() == null ? "ToolGuard" : "policy " + engine.bundle().name();
                throw new ToolCallDeniedException(tool, v.rule(), v.reason(),
                        "Denied by " + who + ": " + v.reason() + " [" + v.rule() + "]");
            }
            switch (sensor) {
                case "http-url-connection" -> connections.allowed(self);
                // OkHttp sends the call's requests (its first, and those it makes itself) through its interceptors,
                // perhaps on its dispatcher's threads: each is checked against this call where it enters the network
                case "http-okhttp" -> carriers.put(self, new Carried(running, false, requestOf(self)));
                case "http-apache5" -> thread.apacheChecked = ((Object[]) subject)[1];
                case "mail" -> thread.mailSent = new MailSent(running, ((Object[]) subject)[0], request.targets());
                default -> {
                }
            }
            if (running != null) {
                engine.egressRan(running.ctx(), request);
                if (kind == EgressKind.HTTP && v.allowed() && !sensor.endsWith("-hop")) {
                    return credentials.release(sensor, self, subject, request, running.tool());
                }
            }
            return subject;
        } catch (ToolCallDeniedException refused) {
            throw refused;
        } catch (RuntimeException | Error e) {
            metrics.egress(kind, 3);
            throw e; // the bridge refuses it inside a guarded call (and says it once)
        } finally {
            thread.busy = false;
        }
    }

    /**
     * Whether a transport's {@code sendMessage} is the one {@code Transport.send} makes for a message it let through
     * on this thread, in the same call (or outside any, as then), to recipients it checked. Anything else a transport
     * sends is checked: a message sent by a transport the tool got itself, another call's, other recipients.
     */
    private static boolean sentAlready(MailSent sent, RunningCall running, Object subject, EgressRequest request) {
        return sent != null && sent.call() == running && subject instanceof Object[] args && args.length > 0
                && args[0] == sent.message() && request.problem() == null
                && sent.recipients().containsAll(request.targets());
    }

    /**
     * What a refused request that the HTTP client made by itself is, for the reason a person reads; null for a
     * request the application made. Asked only of refusals, so the allowed path pays nothing.
     */
    private String hopOf(String sensor, Object self) {
        return switch (sensor) {
            case "http-jdk-hop" -> "the request is a redirect the JDK HttpClient followed by itself";
            case "http-okhttp-hop" -> "the request is one OkHttp made by itself (a redirect it follows, or an"
                    + " interceptor's rewrite)";
            case "http-apache5-hop" -> "the request is a redirect Apache HttpClient followed by itself";
            case "http-apache5-async-hop" -> "the request is one the Apache HttpClient async client made by itself (a"
                    + " redirect it follows, or a retry)";
            case "http-url-connection-proxy-hop" -> "the request is to go through the proxy a 305 Use Proxy answer named,"
                    + " which the HttpURLConnection follows by itself";
            case "http-url-connection", "http-url-connection-socket" -> connections.redirected(self)
                    ? "the request is a redirect the HttpURLConnection followed by itself" : null;
            default -> null;
        };
    }

    /** An OkHttp call's request, or null when it cannot be read (then its first hop is checked once more). */
    private static Object requestOf(Object call) {
        try {
            return SensedEgress.okHttpRequest(call);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A sensor's fuse met a library the sensor does not fit, inside {@code running}'s body: the egress it is about to
     * make cannot be seen, so where the tool's policy restricts that kind (the test {@link UnseenEgress} makes before
     * a body runs) it is refused, written and counted like any egress denial, with the reason of {@code UnseenEgress}.
     */
    @Override
    public void unfit(String kindKey, String unfit, RunningCall running) {
        EgressKind kind = EgressKind.of(kindKey);
        PolicyEngine engine = running.engine();
        if (kind != null && !engine.egressRestricted(running.tool(), kind)) {
            return; // the tool may use this kind freely: nothing to check
        }
        if (kind == null) {
            kind = EgressKind.HTTP; // a fuse of a kind this agent does not know: refused all the same, never let go
        }
        String reason = UnseenEgress.refusal(unfit, kind, running.tool());
        EgressVerdict v = new EgressVerdict(false, !shadow, true, ON_ERROR, reason);
        write(running, kind, EgressRequest.unreadable(kind, unfit), v, engine);
        metrics.egress(kind, v.enforced() ? 1 : 2);
        if (v.blocks()) {
            throw new ToolCallDeniedException(running.tool(), ON_ERROR, reason,
                    "Denied by ToolGuard: " + reason + " [" + ON_ERROR + "]");
        }
    }

    private static boolean outsideUnwatched(PolicyEngine engine) {
        return !(engine.bundle() instanceof CompiledBundle b)
                || b.egressDefaults().outsideTools() == EgressDefaults.Outside.ALLOW;
    }

    /** The agent's own threads (a policy fetch, the approval webhook) make no tool's egress. */
    private static boolean agentThread() {
        return Thread.currentThread().getName().startsWith("toolguard-");
    }

    private EgressRequest read(String sensor, Object self, Object subject) {
        try {
            return switch (sensor) {
                case "jdbc" -> sql.read((String) subject, () -> schemaOf(self));
                case "jdbc-prepared" -> {
                    String text = notes.get(self);
                    yield text == null
                            ? EgressRequest.unreadableSql("the SQL this statement was prepared with is not known"
                                    + " (prepared before the agent was attached)")
                            : sql.read(text, () -> schemaOf(self));
                }
                case "http-jdk", "http-jdk-hop" -> SensedEgress.jdkHttp(subject);
                case "http-okhttp-hop" -> SensedEgress.okHttpRequestOf(subject);
                case "http-apache5-hop" -> SensedEgress.apache5Scope(self, subject);
                case "http-url-connection", "http-url-connection-socket" -> SensedEgress.urlConnection(subject);
                case "http-url-connection-proxy-hop" -> SensedEgress.urlConnectionThrough(self, (java.net.URL) subject);
                case "http-apache5" -> SensedEgress.apache5(subject);
                case "http-apache5-async" -> SensedEgress.apache5Scope(((Object[]) subject)[1], ((Object[]) subject)[2]);
                case "http-apache5-async-hop" -> SensedEgress.apache5Scope(SensedEgress.apache5AsyncRoute(self), subject);
                case "http-apache5-lease" -> EgressRequest.unreadable(EgressKind.HTTP, "an endpoint leased from Apache"
                        + " HttpClient's minimal async client, to " + subject + ", sends requests that cannot be checked"
                        + " one by one");
                case "http-apache5-minimal" -> SensedEgress.apache5(new Object[] {null,
                        SensedEgress.apache5MinimalRequest(subject)});
                case "http-okhttp" -> SensedEgress.okHttp(subject);
                case "mail", "mail-transport" -> SensedEgress.mail(subject);
                case "exec" -> SensedEgress.exec(subject);
                default -> EgressRequest.unreadable(SensedEgress.kindOf(sensor), "unknown sensor " + sensor);
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return EgressRequest.unreadable(SensedEgress.kindOf(sensor), "the " + sensor + " egress cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The schema unqualified tables are in: the statement's connection's, lower case; null when it cannot be told. */
    private static String schemaOf(Object statement) {
        try {
            Connection c = ((java.sql.Statement) statement).getConnection();
            String schema = c == null ? null : c.getSchema();
            return schema == null ? null : schema.toLowerCase(Locale.ROOT);
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            return null;
        }
    }

    private void write(RunningCall running, EgressKind kind, EgressRequest request, EgressVerdict v,
                       PolicyEngine engine) {
        var bundle = engine.bundle();
        EgressRecord record = new EgressRecord(running == null ? null : running.callId(),
                running == null ? null : running.tool(), kind.key(), request.describe(), v.allowed() ? "allow" : "deny",
                v.enforced(), v.rule(), v.reason(), bundle == null ? null : bundle.name(),
                bundle == null ? null : bundle.version(), bundle == null ? null : bundle.sha256());
        try {
            if (audit == null) {
                throw new IllegalStateException("the audit log is not open");
            }
            audit.append(record);
        } catch (Exception e) {
            // the audit log is the system of record: an egress it cannot record does not leave
            diagnostics.accept("toolguard: an egress record could not be written, so the egress is refused: "
                    + e.getMessage());
            throw new ToolCallDeniedException(running == null ? null : running.tool(), "on_error",
                    "the egress could not be recorded", "ToolGuard could not check this egress (internal error) [on_error]");
        }
    }
}
