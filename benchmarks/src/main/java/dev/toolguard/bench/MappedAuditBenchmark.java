package dev.toolguard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * G1 and G1×2 of {@link GuardedCallBenchmark} with the audit log in the mapped layout ({@code audit.layout: mapped},
 * benchmarks/config/audit-mapped.yaml): the {@code _mapped} summary keys.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "-javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/audit-mapped.yaml"})
public class MappedAuditBenchmark {

    static final Path AUDIT_FILE = Path.of("benchmarks/target/bench-audit-mapped.jsonl");

    /**
     * Removes the fork's audit file when its trial ends (the next fork's agent starts a new one). Never truncated while
     * the agent writes it, as {@link GuardedCallBenchmark} does with the append layout's file: a file cut under the
     * map fails the log closed (docs/audit-log.md), and every later call would be a denial.
     */
    @State(Scope.Benchmark)
    public static class AuditFile {
        @TearDown(Level.Trial)
        public void remove() throws IOException {
            Files.deleteIfExists(AUDIT_FILE);
        }
    }

    @Benchmark
    public String g1_guardedAllow_mapped(GuardedCallBenchmark.Caller c, AuditFile audit) {
        return c.tools.issueRefund("c-1", 150.0, "damaged in transit");
    }

    @Benchmark
    @Threads(2)
    public String g1_guardedAllow_mapped_2threads(GuardedCallBenchmark.Caller c, AuditFile audit) {
        return c.tools.issueRefund("c-1", 150.0, "damaged in transit");
    }
}
