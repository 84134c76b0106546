package dev.toolguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * S0: the same decision asked of a server over loopback HTTP, JSON in and out — the floor of any sidecar
 * or gateway design. The server runs our own engine, so the difference to G1 is the hop alone: encoding,
 * the loopback round trip, decoding. No agent in this JVM.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Without TCP_NODELAY the JDK server's small writes meet delayed ACKs and every request waits ~40 ms;
// the floor of a sidecar is measured with the server tuned as well as it can be.
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class LoopbackHttpBenchmark {

    @State(Scope.Benchmark)
    public static class DecisionServer {
        final ObjectMapper json = new ObjectMapper();
        HttpServer server;
        ExecutorService workers;
        URI endpoint;

        @Setup(Level.Trial)
        public void start() throws IOException {
            PolicyEngine engine = Policies.benchEngine();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            workers = Executors.newFixedThreadPool(2);
            server.setExecutor(workers);
            server.createContext("/v1/decide", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> request = json.readValue(in, Map.class);
                    @SuppressWarnings("unchecked")
                    ToolCall call = new ToolCall((String) request.get("tool"),
                            (Map<String, Object>) request.get("args"), (Map<String, Object>) request.get("ctx"));
                    Decision d = engine.decide(call);
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("action", d.action().wireName());
                    answer.put("reason", d.reason());
                    answer.put("rule", d.rule());
                    byte[] body = json.writeValueAsBytes(answer);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
            endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/decide");
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    @State(Scope.Thread)
    public static class Client {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final Map<String, Object> ctx = Contexts.supportL1Tree();
    }

    @Benchmark
    public Object s0_loopbackHttp(DecisionServer server, Client client) throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("customer_id", "c-1");
        args.put("amount", 150.0);
        args.put("reason", "damaged in transit");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("tool", "issue_refund");
        request.put("args", args);
        request.put("ctx", client.ctx);
        HttpRequest post = HttpRequest.newBuilder(server.endpoint)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(server.json.writeValueAsBytes(request)))
                .build();
        HttpResponse<byte[]> response = client.http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        Map<?, ?> decision = server.json.readValue(response.body(), Map.class);
        if (!"allow".equals(decision.get("action"))) {
            throw new IllegalStateException("the benchmark call must be allowed, got " + decision);
        }
        return decision;
    }
}
