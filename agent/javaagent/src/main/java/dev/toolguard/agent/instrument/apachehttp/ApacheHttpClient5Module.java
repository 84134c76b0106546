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
 * The Apache HttpClient 5 egress sensor (SPEC §18): every {@code execute} of the classic client ends in
 * {@code doExecute(HttpHost, ClassicHttpRequest, HttpContext)} of its two implementations, checked there before a
 * connection is leased. The redirects the client follows ({@code RedirectExec}) each get an exchange scope of their
 * own ({@code ExecChain.Scope}), made before the redirect is sent: each is checked there.
 *
 * <p>Where it does not fit, its fuse goes (beside the hooked types' constructors) on every {@code execute} of
 * {@code CloseableHttpClient}, the entry points of every 5.x, and on the constructors of {@code InternalExecRuntime},
 * which both clients make for each request: a client built outside a call, before the library was met, sends through
 * them.
 */
public final class ApacheHttpClient5Module extends InstrumentationModule {

    private static final String PACKAGE = "org.apache.hc.client5.http.impl.classic.";

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
        return "5.0 to 5.5 (the classic client)";
    }

    @Override
    public List<EgressFuse.At> egressFuses() {
        return List.of(
                new EgressFuse.At(PACKAGE + "CloseableHttpClient", named("execute").and(not(isAbstract())),
                        "CloseableHttpClient#execute(...)"),
                new EgressFuse.At(PACKAGE + "InternalExecRuntime", isConstructor(), "InternalExecRuntime(...)"));
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
                        advice("ScopeAdvice")));
    }
}
