package dev.toolguard.agent.egress;

import com.sun.net.httpserver.HttpServer;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.io.CloseMode;
import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.agent.runtime.RunningCall;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §18 on redirects: a request an HTTP client makes by itself (a hop of a redirect it follows) is checked against
 * the guarded call its first request was sent for, wherever and whenever the client makes it, and refused and written
 * like any egress; one sent outside calls is decided as egress outside calls, one of the agent's own passes. For the
 * Apache async client: the scope of a request, made on the calling thread, is checked against the call running there;
 * its first exchange, sent next on that thread, is not checked again; every other exchange of the request (a redirect,
 * on the I/O reactor's thread) is checked against that call, and a scope the redirect handling makes is left to that
 * check. Its scopes are real ones, captured from a real client's exec chain on its way to a real server.
 */
class EgressHopsTest {

    @TempDir
    Path dir;
    private Path file;
    private AuditLog audit;
    private EgressSensors sensors;
    private PolicyEngine engine;
    private final List<String> said = new ArrayList<>();
    private final Metrics metrics = new Metrics();

    @BeforeEach
    void sensors() throws Exception {
        LoadResult loaded = BundleLoader.loadTexts(Map.of("egress.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: hops, version: "1"}
                egress: {outside_tools: audit}
                tools:
                  ledger.push: {action: allow, egress: {http: {hosts: ["crm.internal"]}}}
                """));
        assertThat(loaded.errors()).isEmpty();
        engine = new PolicyEngine(loaded.bundle());
        ActivePolicy active = new ActivePolicy("not loaded yet");
        active.swap(engine);
        file = dir.resolve("audit.jsonl");
        audit = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of());
        sensors = new EgressSensors(active, PolicyEngine.noPolicy(), audit, metrics, Credentials.NONE, false,
                said::add);
    }

    @AfterEach
    void close() throws Exception {
        audit.close();
    }

    /** A client that follows redirects: its requests' redirect filters are tied to their calls. */
    private static final HttpClient FOLLOWING = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();

    /** The JDK client's sensor lets {@code request} of {@code client} through, then the client makes its filter. */
    private Object sent(HttpClient client, RunningCall call, boolean agentsOwn) {
        sensors.check("http-jdk", client, get("http://crm.internal/first"), call, agentsOwn);
        Object filter = new Object();
        sensors.carrier("http-jdk-hop", filter);
        return filter;
    }

    private RunningCall call() {
        return new RunningCall("call-7", "ledger.push", Map.of("session.id", "s1"), engine);
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET().build();
    }

    private List<String> egressRecords() throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.contains("\"type\":\"egress\""))
                .toList();
    }

    @Test
    void aHopMadeOnAnotherThreadIsCheckedAgainstTheCallItsCarrierWasMadeInAndRefusedSayingWhatItIs() throws Exception {
        Object filter = sent(FOLLOWING, call(), false);

        // the client's own thread, with no guarded call of its own, after the body may have returned
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                sensors.hop("http-jdk-hop", filter, get("http://outside.example:8080/exfil"));
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }, "HttpClient-1-Worker-0");
        worker.start();
        worker.join();

        assertThat(thrown.get()).isInstanceOf(ToolCallDeniedException.class)
                .hasMessage("Denied by policy hops: tool 'ledger.push' may not make this http egress (host"
                        + " outside.example:8080 is not among [crm.internal]); the request is a redirect the JDK"
                        + " HttpClient followed by itself [tools.ledger.push.egress.http]");
        assertThat(egressRecords()).singleElement().asString().contains("\"id\":\"call-7\"")
                .contains("\"target\":\"GET outside.example:8080\"").contains("\"action\":\"deny\"")
                .contains("followed by itself");
    }

    @Test
    void anAllowedHopGoesAndTheSameRequestSentAgainIsNotCheckedAgain() throws Exception {
        Object filter = sent(FOLLOWING, null, false); // sent outside calls: audited, one record per request
        Object hop = get("http://crm.internal/next");

        sensors.hop("http-jdk-hop", filter, hop);
        sensors.hop("http-jdk-hop", filter, hop); // a retry of the same request

        assertThat(egressRecords()).hasSize(2).allSatisfy(r -> assertThat(r).contains("\"action\":\"allow\"")
                .contains("\"rule\":\"egress.outside_tools\""));
    }

    @Test
    void aHopOfACarrierTheAgentDidNotSeeMadeIsDecidedAsEgressOutsideCallsAndOneOfTheAgentsOwnPasses() throws Exception {
        sensors.hop("http-jdk-hop", new Object(), get("http://outside.example/x"));
        assertThat(egressRecords()).singleElement().asString().contains("\"id\":null")
                .contains("\"rule\":\"egress.outside_tools\"");

        Object own = sent(FOLLOWING, null, true);
        sensors.hop("http-jdk-hop", own, get("http://outside.example/y"));
        assertThat(egressRecords()).hasSize(1);
    }

    @Test
    void theFilterOfAClientThatFollowsNoRedirectIsTiedToNothingAndNoStaleCallIsTiedToALaterOne() throws Exception {
        Object never = sent(HttpClient.newHttpClient(), call(), false);
        // a filter made without a request checked just before it (the client's own tunnel) is tied to nothing either
        Object unchecked = new Object();
        sensors.carrier("http-jdk-hop", unchecked);

        sensors.hop("http-jdk-hop", never, get("http://outside.example/a"));
        sensors.hop("http-jdk-hop", unchecked, get("http://outside.example/b"));
        assertThat(egressRecords()).hasSize(2).allSatisfy(r -> assertThat(r).contains("\"id\":null"));
    }

    /** The scope a real async client makes for a GET to a real server, as its exec chain hands it on. */
    private static AsyncExecChain.Scope realScope() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        CompletableFuture<AsyncExecChain.Scope> captured = new CompletableFuture<>();
        var client = HttpAsyncClients.custom().addExecInterceptorFirst("capture", (request, producer, scope, chain, callback) -> {
            captured.complete(scope);
            chain.proceed(request, producer, scope, callback);
        }).build();
        try {
            client.start();
            client.execute(SimpleRequestBuilder.get("http://127.0.0.1:" + server.getAddress().getPort() + "/a").build(),
                    null).get(30, TimeUnit.SECONDS);
            return captured.get();
        } finally {
            client.close(CloseMode.IMMEDIATE);
            server.stop(0);
        }
    }

    /** What the scope's constructor was given. */
    private static Object[] made(AsyncExecChain.Scope s) {
        return new Object[] {s.exchangeId, s.route, s.originalRequest, s.cancellableDependency, s.clientContext,
                s.execRuntime, s.scheduler, s.execCount};
    }

    /** A scope the redirect handling makes for the same request: same future, another route. */
    private static AsyncExecChain.Scope redirected(AsyncExecChain.Scope s, String url) {
        URI to = URI.create(url);
        return new AsyncExecChain.Scope(s.exchangeId, new HttpRoute(new HttpHost(to.getScheme(), to.getHost(),
                to.getPort())), new BasicHttpRequest("GET", to), s.cancellableDependency, s.clientContext, s.execRuntime,
                s.scheduler, s.execCount);
    }

    private String allowedCount() {
        StringBuilder out = new StringBuilder();
        metrics.writePrometheus(out);
        return out.toString().lines().filter(l -> l.startsWith("toolguard_egress_total{kind=\"http\",outcome=\"allowed\"}"))
                .findFirst().orElseThrow();
    }

    @Test
    void theFirstExchangeIsCheckedOnceAndARedirectOnTheReactorsThreadIsCheckedAgainstTheCall() throws Exception {
        // the real request went to the test's server; the scope is made again as though it went to crm.internal
        AsyncExecChain.Scope scope = redirected(realScope(), "http://crm.internal:80/a");

        sensors.check("http-apache5-async", scope, made(scope), call(), false);
        // the first exchange reaches the connect step next, on this thread: the request just checked
        sensors.hop("http-apache5-async-hop", scope, scope.originalRequest);
        assertThat(allowedCount()).endsWith(" 1");

        // the redirect handling makes a scope of its own: left to the check where its exchange is sent
        AsyncExecChain.Scope redirect = redirected(scope, "http://outside.example:8443/exfil");
        sensors.check("http-apache5-async", redirect, made(redirect), null, false);
        assertThat(egressRecords()).isEmpty();

        // which is on the reactor's thread, with no call of its own
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread reactor = new Thread(() -> {
            try {
                sensors.hop("http-apache5-async-hop", redirect, redirect.originalRequest);
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        }, "httpclient-dispatch-1");
        reactor.start();
        reactor.join();

        assertThat(thrown.get()).isInstanceOf(ToolCallDeniedException.class)
                .hasMessage("Denied by policy hops: tool 'ledger.push' may not make this http egress (host"
                        + " outside.example:8443 is not among [crm.internal]); the request is one the Apache HttpClient"
                        + " async client made by itself (a redirect it follows, or a retry) [tools.ledger.push.egress.http]");
        assertThat(egressRecords()).singleElement().asString().contains("\"id\":\"call-7\"")
                .contains("\"target\":\"GET outside.example:8443\"").contains("\"action\":\"deny\"");
        // and the first exchange, sent again on another thread (a retry), is checked against the call: allowed
        Thread retry = new Thread(() -> sensors.hop("http-apache5-async-hop", scope, scope.originalRequest));
        retry.start();
        retry.join();
        assertThat(allowedCount()).endsWith(" 2");
    }

    @Test
    void aFirstScopeRefusedOnTheCallingThreadThrowsAndTiesNothing() throws Exception {
        AsyncExecChain.Scope scope = redirected(realScope(), "http://outside.example:80/first");
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() ->
                sensors.check("http-apache5-async", scope, made(scope), call(), false));

        assertThat(refused).isInstanceOf(ToolCallDeniedException.class).hasMessageContaining("host outside.example:80"
                + " is not among [crm.internal]");
        assertThat(egressRecords()).singleElement().asString().contains("\"id\":\"call-7\"");
        // nothing was tied to its future: a later exchange of it (there is none) would be decided as outside egress
        sensors.hop("http-apache5-async-hop", scope, scope.originalRequest);
        assertThat(egressRecords()).hasSize(2).last().asString().contains("\"id\":null")
                .contains("\"rule\":\"egress.outside_tools\"");
    }
}
