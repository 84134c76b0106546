package dev.toolguard.bench;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * G0: deciding alone, the G1 call's decision made by the engine in process on a call already turned into values.
 * The shipped agent has no switch that turns its audit log off (SPEC §13.13), so the agent's path without the log
 * is not measured on its own any more: G1 minus G0 is the agent's advice, arguments, context and audit together.
 * The same call decided against a far larger bundle shows whether deciding grows with what does not apply to it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Thread)
public class PolicyOnlyBenchmark {

    private PolicyEngine engine;
    private PolicyEngine large;
    private ToolCall call;

    @Setup
    public void load() {
        engine = Policies.benchEngine();
        large = Policies.largeEngine();
        call = new ToolCall("issue_refund", Map.of("customer_id", "c-1", "amount", 150.0, "reason", "damaged in transit"),
                Map.of("user", Map.of("id", "u-bench", "roles", List.of("support_l1")), "tenant", "acme"));
    }

    @Benchmark
    public Decision g0_decideOnly() {
        return engine.decide(call);
    }

    /** G0 on the bench policy grown to 1,000 tools, 200 roles and 100 forbid entries that do not apply to the call. */
    @Benchmark
    public Decision g0_decideOnly_largePolicy() {
        return large.decide(call);
    }
}
