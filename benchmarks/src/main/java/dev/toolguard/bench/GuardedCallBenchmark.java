package dev.toolguard.bench;

import dev.toolguard.api.ToolCallDeniedException;
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
import org.openjdk.jmh.annotations.Threads;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * B0, G1, G2 and D: a tool call through the real agent, as users run it (the agent jar attached with
 * {@code -javaagent}, audit written to a file without fsync). Paths are relative to the repository root,
 * where {@code benchmarks/run.sh} starts JMH.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {
        "-javaagent:agent/javaagent/target/toolguard-agent.jar=config=benchmarks/config/audit-on.yaml"})
public class GuardedCallBenchmark {

    static final Path AUDIT_FILE = Path.of("benchmarks/target/bench-audit.jsonl");

    @State(Scope.Thread)
    public static class Caller {
        final SupportTools tools = new SupportTools();
        final Map<String, Object> record = Contexts.crmRecord();

        @Setup(Level.Trial)
        public void actAsUser() {
            Contexts.actAsSupportL1();
        }
    }

    /** Keeps the audit file from growing to gigabytes over a run; the agent appends, so it writes on. */
    @State(Scope.Benchmark)
    public static class AuditFile {
        @TearDown(Level.Iteration)
        public void truncate() throws IOException {
            if (Files.exists(AUDIT_FILE)) {
                try (RandomAccessFile f = new RandomAccessFile(AUDIT_FILE.toFile(), "rw")) {
                    f.setLength(0);
                }
            }
        }
    }

    @Benchmark
    public String b0_unguarded(Caller c) {
        return c.tools.refundUnguarded("c-1", 150.0, "damaged in transit");
    }

    @Benchmark
    public String g1_guardedAllow(Caller c, AuditFile audit) {
        return c.tools.issueRefund("c-1", 150.0, "damaged in transit");
    }

    /** G1 in JMH's sample mode, for its latency distribution ({@code p99_over_p50}). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public String g1_guardedAllow_sample(Caller c, AuditFile audit) {
        return c.tools.issueRefund("c-1", 150.0, "damaged in transit");
    }

    @Benchmark
    @Threads(2)
    public String g1_guardedAllow_2threads(Caller c, AuditFile audit) {
        return c.tools.issueRefund("c-1", 150.0, "damaged in transit");
    }

    @Benchmark
    public int g2_guardedSchema(Caller c, AuditFile audit) {
        return c.tools.updateCrmRecord(c.record);
    }

    @Benchmark
    public Object d_guardedDeny(Caller c, AuditFile audit) {
        try {
            return c.tools.issueRefund("c-1", 500.0, "damaged in transit");
        } catch (ToolCallDeniedException denied) {
            return denied;
        }
    }
}
