package dev.toolguard.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every variant in one JMH run and writes one result file. The guarded variants get a longer warm-up
 * than the expression ones: their path (advice, bridge, engine, audit) is far more code for the JIT, and on
 * a shared 2-core machine a short warm-up measures the interpreter. Allocation is measured with
 * {@code -prof gc} throughout.
 *
 * <pre>java -cp benchmarks.jar dev.toolguard.bench.RunAll [--quick] --out jmh.json [JMH options, e.g. -e Expression]</pre>
 */
public final class RunAll {

    static final String GUARDED =
            "dev\\.toolguard\\.bench\\.(GuardedCallBenchmark|MappedAuditBenchmark|PolicyOnlyBenchmark|LoopbackHttpBenchmark|MachineBenchmark"
            + "|EgressBenchmark|SharedStateBenchmark|AuditFloorBenchmark)\\.";
    static final String EXPRESSIONS = "dev\\.toolguard\\.bench\\.ExpressionBenchmark\\.";

    private RunAll() {
    }

    public static void main(String[] argv) throws Exception {
        boolean quick = false;
        String out = null;
        List<String> jmh = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = argv[++i];
                default -> jmh.addAll(Arrays.asList(argv).subList(i, i + 1));
            }
        }
        if (out == null) {
            System.err.println("usage: RunAll [--quick] --out <jmh.json> [JMH options]");
            System.exit(2);
        }
        if (SharedStateBenchmark.redisServer() == null) {
            // the summary then lacks the Redis keys and says why (SummaryReport)
            System.out.println("note: no redis-server on the PATH: SharedStateBenchmark.r_limitedRedis is left out");
            jmh.addAll(List.of("-e", "SharedStateBenchmark\\.r_"));
        }
        java.nio.file.Files.deleteIfExists(SharedStateBenchmark.ROUNDTRIPS_FILE);
        CommandLineOptions cli = new CommandLineOptions(jmh.toArray(new String[0]));
        List<RunResult> results = new ArrayList<>();
        // six warm-ups even in a quick run: with four, the JIT had not always removed the allocations escape
        // analysis removes by the first measured iteration, and alloc_bytes_per_call read several hundred bytes high
        results.addAll(new Runner(group(cli, GUARDED, quick ? 1 : 2, 6, quick ? 1 : 2,
                quick ? 3 : 5, quick ? 1 : 3)).run());
        results.addAll(new Runner(group(cli, EXPRESSIONS, 1, quick ? 2 : 5, 1, quick ? 2 : 5, 1)).run());
        ResultFormatFactory.getInstance(ResultFormatType.JSON, out).writeOut(results);
    }

    private static org.openjdk.jmh.runner.options.Options group(CommandLineOptions cli, String include, int forks,
                                                                int warmups, int warmupSeconds, int iterations,
                                                                int iterationSeconds) {
        ChainedOptionsBuilder b = new OptionsBuilder().parent(cli).include(include)
                .forks(cli.getForkCount().orElse(forks))
                .warmupIterations(cli.getWarmupIterations().orElse(warmups))
                .warmupTime(cli.getWarmupTime().orElse(TimeValue.seconds(warmupSeconds)))
                .measurementIterations(cli.getMeasurementIterations().orElse(iterations))
                .measurementTime(cli.getMeasurementTime().orElse(TimeValue.seconds(iterationSeconds)))
                .addProfiler(GCProfiler.class);
        return b.build();
    }
}
