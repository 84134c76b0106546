package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.agent.instrument.EgressFuse;
import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The Apache HttpClient 5 egress sensor (SPEC §18), for the classic client and the async one.
 *
 * <p>Classic: every {@code execute} ends in {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)} of its two
 * implementations, checked there before a connection is leased. The redirects the client follows ({@code RedirectExec})
 * each get an exchange scope of their own ({@code ExecChain.Scope}), made before the redirect is sent: each is checked
 * there.
 *
 * <p>Async: every {@code execute} of the async clients {@code HttpAsyncClients.createDefault()}, {@code custom()},
 * {@code createHttp2Default()} build ends in {@code InternalAbstractHttpAsyncClient.doExecute}, which asks the request
 * producer for the request on the calling thread and makes the request's scope from it
 * ({@code AsyncExecChain.Scope}) before the exec chain runs: checked there ({@link AsyncScopeAdvice}); a refusal is
 * thrown from {@code execute}. The exchanges the client then makes by itself (redirects, retries) run on the I/O
 * reactor's threads; each passes {@code AsyncConnectExec}, which leases its connection, and is checked there against
 * the call of the first ({@link AsyncConnectAdvice}); a refusal fails the request's future and callback. The minimal
 * async clients ({@code createMinimal()}, {@code createHttp2Minimal()}) follow no redirect: their
 * {@code execute(AsyncClientExchangeHandler, ...)} is checked ({@link MinimalAsyncAdvice}). An endpoint leased from the
 * minimal client ({@code lease}) sends past {@code execute}: the lease is refused where the tool restricts http
 * ({@link LeaseAdvice}).
 *
 * <p>Where it does not fit, its fuse goes (beside the hooked types' constructors) on every {@code execute} of
 * {@code CloseableHttpClient} and of {@code CloseableHttpAsyncClient}, the entry points of every 5.x, on the minimal
 * async clients' {@code execute}, and on the constructors of {@code InternalExecRuntime}, which both classic clients
 * make for each request: a client built outside a call, before the library was met, sends through them.
 */
public final class ApacheHttpClient5Module extends InstrumentationModule {

    private static final String PACKAGE = "org.apache.hc.client5.http.impl.classic.";
    private static final String ASYNC = "org.apache.hc.client5.http.impl.async.";

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.HTTP;
    }

    @Override
    public String name() {
        return "apache-httpclient-5";
    }

    @Override
    public String markerClass() {
        return PACKAGE + "CloseableHttpClient";
    }

    @Override
    public String versionArtifact() {
        return "org.apache.httpcomponents.client5:httpclient5";
    }

    @Override
    public String supportedVersions() {
        return "5.0 to 5.6 (the classic and the async clients)";
    }

    @Override
    public List<EgressFuse.At> egressFuses() {
        return List.of(
                new EgressFuse.At(PACKAGE + "CloseableHttpClient", named("execute").and(not(isAbstract())),
                        "CloseableHttpClient#execute(...)"),
                new EgressFuse.At(PACKAGE + "InternalExecRuntime", isConstructor(), "InternalExecRuntime(...)"),
                new EgressFuse.At(ASYNC + "CloseableHttpAsyncClient", named("execute").and(not(isAbstract())),
                        "CloseableHttpAsyncClient#execute(...)"),
                new EgressFuse.At(ASYNC + "MinimalHttpAsyncClient", named("execute"),
                        "MinimalHttpAsyncClient#execute(AsyncClientExchangeHandler, ...)"),
                new EgressFuse.At(ASYNC + "MinimalH2AsyncClient", named("execute"),
                        "MinimalH2AsyncClient#execute(AsyncClientExchangeHandler, ...)"));
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(Hook.Role.SENSES_EGRESS, PACKAGE + "InternalHttpClient", named("doExecute").and(takesArguments(3)),
                        "doExecute(HttpHost, ClassicHttpRequest, HttpContext)", advice("ExecuteAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, PACKAGE + "MinimalHttpClient", named("doExecute").and(takesArguments(3)),
                        "doExecute(HttpHost, ClassicHttpRequest, HttpContext)", advice("ExecuteAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, "org.apache.hc.client5.http.classic.ExecChain$Scope",
                        isConstructor().and(takesArguments(5)),
                        "Scope(String, HttpRoute, ClassicHttpRequest, ExecRuntime, HttpClientContext)",
                        advice("ScopeAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, "org.apache.hc.client5.http.async.AsyncExecChain$Scope",
                        // both: 5.0 has only the six-argument one; later, it calls the eight-argument one (the second
                        // check of the same scope is taken for a scope already seen, and passes)
                        isConstructor(), "Scope(String, HttpRoute, HttpRequest, CancellableDependency, HttpClientContext,"
                                + " AsyncExecRuntime[, Scheduler, AtomicInteger])",
                        advice("AsyncScopeAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, ASYNC + "AsyncConnectExec", named("execute").and(takesArguments(5)),
                        "execute(HttpRequest, AsyncEntityProducer, Scope, AsyncExecChain, AsyncExecCallback)",
                        advice("AsyncConnectAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, ASYNC + "MinimalHttpAsyncClient", named("execute").and(takesArguments(3)),
                        "execute(AsyncClientExchangeHandler, HandlerFactory, HttpContext)", advice("MinimalAsyncAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, ASYNC + "MinimalH2AsyncClient", named("execute").and(takesArguments(3)),
                        "execute(AsyncClientExchangeHandler, HandlerFactory, HttpContext)", advice("MinimalAsyncAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, ASYNC + "MinimalHttpAsyncClient", named("lease").and(takesArguments(3)),
                        "lease(HttpHost, HttpContext, FutureCallback)", advice("LeaseAdvice")));
    }
}
