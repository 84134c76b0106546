package dev.toolguard.bench;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.internal.GuardBridge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.TimeUnit;

/**
 * E: what an egress sensor adds to an allowed JDBC statement and to an HTTP request (SPEC §18), through the real
 * agent. A sensor's advice is one call, {@code GuardBridge.egress(sensor, self, subject)}, inlined at the start of
 * the statement's or client's method; here a guarded tool's body makes that very call {@link #PER_CALL} times for a
 * statement text and a JDK {@code HttpRequest} the policy allows, without a database or a socket behind them, so the
 * sensor is all there is to measure and the guarded call's own cost is spread over them. The same loop in a JVM
 * without the agent (where the bridge has no guard) is the baseline. The SQL text is the same each time, as an
 * application's prepared statements are: its parse is cached.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EgressBenchmark {

    static final int PER_CALL = 1000;
    static final String SQL = "SELECT tier FROM crm.accounts WHERE id = ?";

    @State(Scope.Thread)
    public static class Tools {
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://crm.internal/accounts")).GET().build();
        final java.net.http.HttpClient following = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NORMAL).build();

        @GuardedTool(name = "crm.batch")
        public int statements() {
            int went = 0;
            for (int i = 0; i < PER_CALL; i++) {
                went += GuardBridge.egress("jdbc", null, SQL) == SQL ? 1 : 0;
            }
            return went;
        }

        @GuardedTool(name = "crm.batch")
        public int requests() {
            int went = 0;
            for (int i = 0; i < PER_CALL; i++) {
                went += GuardBridge.egress("http-jdk", null, request) == request ? 1 : 0;
            }
            return went;
        }

        /**
         * A request of a JDK client that follows redirects: the sensor, then the redirect filter the client makes for
         * it (a new object each time, as the client's is) tied to the running call, so that its hops can be checked.
         */
        @GuardedTool(name = "crm.batch")
        public int redirectableRequests() {
            int went = 0;
            for (int i = 0; i < PER_CALL; i++) {
                went += GuardBridge.egress("http-jdk", following, request) == request ? 1 : 0;
                GuardBridge.egressCarrier("http-jdk-hop", new Object());
            }
            return went;
        }
    }

    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    @Fork(value = 1)
    public int e0_httpRedirectableWithoutAgent(Tools t) {
        return t.redirectableRequests();
    }

    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    @Fork(value = 1, jvmArgsAppend = {"-javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/egress.yaml"})
    public int e1_httpRedirectableSensed(Tools t) {
        return t.redirectableRequests();
    }

    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    @Fork(value = 1)
    public int e0_jdbcWithoutAgent(Tools t) {
        return t.statements();
    }

    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    @Fork(value = 1, jvmArgsAppend = {"-javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/egress.yaml"})
    public int e1_jdbcSensed(Tools t) {
        return t.statements();
    }

    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    @Fork(value = 1)
    public int e0_httpWithoutAgent(Tools t) {
        return t.requests();
    }

    @Benchmark
    @OperationsPerInvocation(PER_CALL)
    @Fork(value = 1, jvmArgsAppend = {"-javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/egress.yaml"})
    public int e1_httpSensed(Tools t) {
        return t.requests();
    }
}
