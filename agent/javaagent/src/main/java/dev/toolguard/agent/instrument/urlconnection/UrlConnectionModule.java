package dev.toolguard.agent.instrument.urlconnection;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK {@code HttpURLConnection} egress sensor (SPEC §18): every way of using a connection ({@code connect},
 * {@code getOutputStream}, {@code getInputStream}, {@code getResponseCode}, a redirect followed) opens it in one
 * method of the JDK's implementation (HTTPS included, whose connection delegates to it), checked before the socket.
 */
public final class UrlConnectionModule extends InstrumentationModule {

    static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

    @Override
    public String name() {
        return "http-url-connection";
    }

    @Override
    public String markerClass() {
        return CONNECTION;
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return "the JDK 17 to 25 HttpURLConnection";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(Hook.of(Hook.Role.SENSES_EGRESS, CONNECTION, named("plainConnect0").and(takesArguments(0)),
                "plainConnect0()", advice("ConnectAdvice")));
    }
}
