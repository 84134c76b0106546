package dev.toolguard.agent.instrument.urlconnection;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDK {@code HttpURLConnection} egress sensor (SPEC §18), on the JDK's implementation (HTTPS included, whose
 * connection delegates to it). A connection is used through {@code connect}, {@code getOutputStream} or
 * {@code getInputStream} ({@code getResponseCode} and the header getters call the last): the first of them is checked
 * while a header can still be added (a credential). Every socket the connection then opens (a redirect's to another
 * host included) passes {@code plainConnect0}, where a URL not checked yet is checked before the socket. The one
 * redirect that keeps the URL, {@code 305 Use Proxy}, sends the request through the host its answer names: that host
 * is checked where the connection follows it ({@code followRedirect0}).
 */
public final class UrlConnectionModule extends InstrumentationModule {

    static final String CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.HTTP;
    }

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
        return List.of(
                Hook.of(Hook.Role.SENSES_EGRESS, CONNECTION,
                        namedOneOf("connect", "getOutputStream", "getInputStream").and(takesArguments(0)),
                        "connect(), getOutputStream(), getInputStream()", advice("ConnectAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, CONNECTION, named("plainConnect0").and(takesArguments(0)),
                        "plainConnect0()", advice("SocketAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, CONNECTION, named("followRedirect0").and(takesArguments(3)),
                        "followRedirect0(String, int, URL)", advice("UseProxyAdvice")));
    }
}
