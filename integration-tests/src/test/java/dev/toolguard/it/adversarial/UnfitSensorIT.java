package dev.toolguard.it.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.it.agent.apps.ChildLoaderOkHttpApp;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §18 with §13.4: an OkHttp whose call class lacks the methods the egress sensor hooks (a release reshaped under
 * us) could send a tool's HTTP requests unchecked, so a tool whose policy restricts HTTP egress is denied before its
 * body runs, even on its first call, before the application ever touched OkHttp; a tool free to use HTTP runs.
 */
class UnfitSensorIT {

    @TempDir
    Path dir;

    /**
     * {@code okhttp3.internal.connection.RealCall} without {@code execute()} or {@code enqueue(Callback)}: its
     * {@code runNow()} sends a GET of the URL it was made with over a plain socket, which no other sensor sees. Beside
     * it the class every OkHttp has, {@code okhttp3.OkHttpClient}, by which the agent finds OkHttp.
     */
    private Path reshapedOkHttp() throws Exception {
        Path client = dir.resolve("stub-src/okhttp3/OkHttpClient.java");
        Files.createDirectories(client.getParent());
        Files.writeString(client, """
                package okhttp3;

                public class OkHttpClient {
                }
                """);
        Path source = dir.resolve("stub-src/okhttp3/internal/connection/RealCall.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package okhttp3.internal.connection;

                public class RealCall {
                    private final java.net.URI url;

                    public RealCall(String url) {
                        this.url = java.net.URI.create(url);
                    }

                    public String runNow() throws java.io.IOException {
                        try (java.net.Socket s = new java.net.Socket(url.getHost(), url.getPort())) {
                            s.getOutputStream().write(("GET " + url.getPath() + " HTTP/1.0\\r\\nHost: " + url.getHost()
                                    + "\\r\\nConnection: close\\r\\n\\r\\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            String reply = new String(s.getInputStream().readAllBytes(),
                                    java.nio.charset.StandardCharsets.US_ASCII);
                            return reply.substring(0, reply.indexOf('\\r'));
                        }
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("stub-classes"));
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-proc:none", "-d",
                classes.toString(), client.toString(), source.toString());
        assertThat(javac).as("javac of the reshaped OkHttp").isZero();
        return classes;
    }

    private AgentProcess run(Scenario s, String httpEgress) throws Exception {
        s.write("policies/refunds.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: support-agent, version: "unfit-1"}
                default: deny
                tools:
                  issue_refund:
                    action: allow
                    egress:
                      http: %s
                """.formatted(httpEgress));
        Path config = s.config("");
        AgentProcess app = s.app().alsoOnClasspath(List.of(reshapedOkHttp())).agentOptions("config=" + config)
                .main(RefundApp.class, "10").start();
        assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.stderr()).isZero();
        return app;
    }

    @Test
    void aToolRestrictingHttpIsDeniedBeforeItsFirstBodyRunsAndTheReasonNamesTheSensor() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = run(s, "{hosts: [\"payments.internal\"]}");

        assertThat(app.stdout()).as(app.stderr()).doesNotContain("body ran");
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("call 10: denied")
                .contains("rule=on_error").contains("okhttp egress sensor does not fit"));
        assertThat(app.stderr()).contains("okhttp").contains("calls of tools whose policy restricts http egress are"
                + " denied");
        JsonNode decision = AuditFile.ofType(s.audit(), "decision").get(0);
        assertThat(decision.path("action").asText()).isEqualTo("deny");
        assertThat(decision.path("reason").asText()).contains("http egress of tool 'issue_refund'");
    }

    /**
     * OkHttp in a child class loader is checked only when its call class loads: here inside the body of a call already
     * allowed. The sensor's fuse on the call class's constructors refuses that call's request before it is made; the
     * next call of that tool is denied before its body runs; a tool free to use HTTP still reaches the server.
     */
    @Test
    void okHttpFirstLoadedInAChildLoaderInsideAnAllowedCallCannotSendThatCallsRequestUnchecked() throws Exception {
        Queue<String> received = new ConcurrentLinkedQueue<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            Scenario s = new Scenario(dir);
            s.write("policies/fetch.yaml", """
                    apiVersion: toolguard.dev/v1
                    kind: Policy
                    metadata: {name: fetchers, version: "unfit-child-1"}
                    default: deny
                    tools:
                      fetch_report: {action: allow, egress: {http: {hosts: ["payments.internal"]}}}
                      fetch_page: {action: allow, egress: {http: allow}}
                    """);
            AgentProcess app = s.app().agentOptions("config=" + s.config(""))
                    .main(ChildLoaderOkHttpApp.class, reshapedOkHttp().toString(),
                            "http://127.0.0.1:" + server.getAddress().getPort())
                    .start();
            assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.stderr()).isZero();

            List<String> out = app.stdoutLines();
            assertThat(out).as(app.stderr()).anySatisfy(l -> assertThat(l).startsWith("report 1: denied rule=on_error")
                    .contains("okhttp egress sensor does not fit").contains("finds no such method")
                    .contains("http egress of tool 'fetch_report'"));
            assertThat(out).contains("page: ok HTTP/1.1 200 OK");
            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report 2: denied rule=on_error")
                    .contains("okhttp egress sensor does not fit"));
            // the first call's body ran (it was allowed before OkHttp was met), the second's did not
            assertThat(out.stream().filter("body ran fetch_report"::equals)).hasSize(1);
            assertThat(received).as("what the server received").containsExactly("/page");

            JsonNode refused = AuditFile.ofType(s.audit(), "egress").stream()
                    .filter(e -> e.path("tool").asText().equals("fetch_report")).findFirst()
                    .orElseThrow(() -> new AssertionError("no egress record of fetch_report"));
            assertThat(refused.path("kind").asText()).isEqualTo("http");
            assertThat(refused.path("action").asText()).isEqualTo("deny");
            assertThat(refused.path("enforced").asBoolean()).isTrue();
            assertThat(refused.path("rule").asText()).isEqualTo("on_error");
            assertThat(refused.path("reason").asText()).contains("okhttp egress sensor does not fit");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aToolFreeToUseHttpRunsAsBefore() throws Exception {
        AgentProcess app = run(new Scenario(dir), "allow");

        assertThat(app.stdoutLines()).as(app.stderr()).contains("body ran 10.0", "call 10: ok refunded 10.0 to c1");
    }
}
