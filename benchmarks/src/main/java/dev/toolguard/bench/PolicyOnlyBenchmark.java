package dev.toolguard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * G0: the G1 call with the audit log switched off, so what remains is the agent's own path (advice,
 * argument binding, context, deciding). B0 is measured again here, in the same JVM flags, as its baseline.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "-javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/audit-off.yaml",
        "-Dtoolguard.testing.audit-off=true"})
public class PolicyOnlyBenchmark {

    @State(Scope.Thread)
    public static class Caller {
        final SupportTools tools = new SupportTools();

        @Setup(Level.Trial)
        public void actAsUser() {
            Contexts.actAsSupportL1();
        }
    }

    @Benchmark
    public String g0_guardedNoAudit(Caller c) {
        return c.tools.issueRefund("c-1", 150.0, "damaged in transit");
    }
}
