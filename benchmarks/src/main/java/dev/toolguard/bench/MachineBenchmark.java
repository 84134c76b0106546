package dev.toolguard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * The machine's own scaling, as a reference for {@code threads2_over_threads1}: a loop that shares nothing,
 * on one and on two threads. On a 2-core machine to itself this scales by about 2; when other processes
 * take a core, it does not, and neither can anything else measured in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class MachineBenchmark {

    @State(Scope.Thread)
    public static class Seed {
        long x = 1;
    }

    @Benchmark
    public long spin(Seed s) {
        long x = s.x;
        for (int i = 0; i < 1000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        s.x = x;
        return x;
    }

    @Benchmark
    @Threads(2)
    public long spin_2threads(Seed s) {
        return spin(s);
    }
}
