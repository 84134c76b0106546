package dev.toolguard.agent.instrument.jdkhttp;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK {@code java.net.http.HttpClient} egress sensor (SPEC §18): {@code send} and both {@code sendAsync} end in
 * one private {@code sendAsync} of the client's implementation, checked there before a connection is opened.
 *
 * <p>A client built to follow redirects follows them inside itself, on its own threads: the redirect filter it makes
 * for each request (on the sending thread) returns the next request to send. The filter is tied to the guarded call
 * when it is made, and each request it returns is checked against that call before the client sends it.
 */
public final class JdkHttpClientModule extends InstrumentationModule {

    static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";
    static final String REDIRECTS = "jdk.internal.net.http.RedirectFilter";

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.HTTP;
    }

    @Override
    public String name() {
        return "jdk-http-client";
    }

    @Override
    public String markerClass() {
        return CLIENT;
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return "the JDK 17 to 25 java.net.http client";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(Hook.of(Hook.Role.SENSES_EGRESS, CLIENT, named("sendAsync").and(takesArguments(4)),
                        "sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)", advice("SendAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, REDIRECTS, isConstructor().and(takesArguments(0)), "RedirectFilter()",
                        advice("RedirectFilterMade")),
                Hook.of(Hook.Role.SENSES_EGRESS, REDIRECTS, named("response").and(takesArguments(1))
                                .and(returns(named("jdk.internal.net.http.HttpRequestImpl"))),
                        "HttpRequestImpl response(Response)", advice("RedirectAdvice")));
    }
}
