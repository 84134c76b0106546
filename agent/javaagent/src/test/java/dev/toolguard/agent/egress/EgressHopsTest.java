package dev.toolguard.agent.egress;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §18 on redirects: a request an HTTP client makes by itself (a hop of a redirect it follows) is checked against
 * the guarded call its first request was sent for, wherever and whenever the client makes it, and refused and written
 * like any egress; one sent outside calls is decided as egress outside calls, one of the agent's own passes.
 */
class EgressHopsTest {

    @TempDir
    Path dir;
    private Path file;
    private AuditLog audit;
    private EgressSensors sensors;
    private PolicyEngine engine;
    private final List<String> said = new ArrayList<>();

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
        sensors = new EgressSensors(active, PolicyEngine.noPolicy(), audit, new Metrics(), Credentials.NONE, false,
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
}
