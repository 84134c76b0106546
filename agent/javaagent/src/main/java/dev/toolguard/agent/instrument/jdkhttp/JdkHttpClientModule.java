package dev.toolguard.agent.instrument.jdkhttp;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK {@code java.net.http.HttpClient} egress sensor (SPEC §18): {@code send} and both {@code sendAsync} end in
 * one private {@code sendAsync} of the client's implementation, checked there before a connection is opened.
 */
public final class JdkHttpClientModule extends InstrumentationModule {

    static final String CLIENT = "jdk.internal.net.http.HttpClientImpl";

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
                "sendAsync(HttpRequest, BodyHandler, PushPromiseHandler, Executor)", advice("SendAdvice")));
    }
}
