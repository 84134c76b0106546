package dev.toolguard.bench;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.PendingCharges;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.StateListener;
import dev.toolguard.policy.state.redis.RedisSettings;
import dev.toolguard.policy.state.redis.RedisSharedState;
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
import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * SPEC §14 on loopback: a rate-limited call decided with its token in memory ({@code m_limitedMemory}) and in a
 * Redis server started for the run ({@code r_limitedRedis}). The difference is the latency Redis adds; the commands
 * Redis ran during the run, divided by the calls, are the round trips per call (written to
 * {@link #ROUNDTRIPS_FILE} for the summary). Without {@code redis-server} on the PATH, {@link RunAll} leaves the
 * Redis variant out and the summary says so.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SharedStateBenchmark {

    static final String POLICY = "benchmarks/config/limited.yaml";
    static final Path ROUNDTRIPS_FILE = Path.of("benchmarks/target/redis-roundtrips.json");
    /** Commands a connection or the harness runs, not a call: leaving them out counts the calls' own. */
    private static final Set<String> NOT_PER_CALL = Set.of("info", "ping", "client", "hello", "auth", "select",
            "script", "command", "config");

    static final ToolCall CALL = new ToolCall("issue_refund", Map.of("customer_id", "c-1", "amount", 150.0),
            Map.of("user", Map.of("id", "u-bench"), "tenant", "acme"));

    @State(Scope.Thread)
    public static class InMemory {
        PolicyEngine engine;

        @Setup(Level.Trial)
        public void load() {
            engine = new PolicyEngine(bundle(), EngineState.inMemory());
        }
    }

    @State(Scope.Thread)
    public static class OnRedis {
        PolicyEngine engine;
        Process server;
        RedisSharedState store;
        int port;
        long commandsBefore;
        long calls;

        @Setup(Level.Trial)
        public void start() throws Exception {
            String binary = redisServer();
            if (binary == null) {
                throw new IllegalStateException("no redis-server on the PATH (RunAll leaves this variant out then)");
            }
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            server = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--protected-mode", "no").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    j.ping();
                    break;
                } catch (RuntimeException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("redis-server did not answer within 10 s", notYet);
                    }
                    Thread.onSpinWait();
                }
            }
            store = new RedisSharedState(new RedisSettings(URI.create("redis://127.0.0.1:" + port + "/0"), null,
                    "bench:", Duration.ofSeconds(1)), SharedState.OnUnavailable.DENY, StateListener.NONE);
            engine = new PolicyEngine(bundle(), EngineState.sharedIn(store));
            commandsBefore = commands(port);
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, InterruptedException {
            try {
                double perCall = calls == 0 ? 0 : (double) (commands(port) - commandsBefore) / calls;
                Files.createDirectories(ROUNDTRIPS_FILE.getParent());
                Files.writeString(ROUNDTRIPS_FILE, "{\"redis_roundtrips_per_call\": " + perCall + ", \"calls\": " + calls
                        + "}\n");
            } finally {
                store.close();
                server.destroy();
                server.waitFor();
            }
        }
    }

    @Benchmark
    public Decision m_limitedMemory(InMemory s) {
        PendingCharges charges = PendingCharges.open();
        Decision d = s.engine.decide(CALL);
        charges.commit();
        return d;
    }

    @Benchmark
    public Decision r_limitedRedis(OnRedis s) {
        PendingCharges charges = PendingCharges.open();
        Decision d = s.engine.decide(CALL);
        charges.commit();
        s.calls++;
        return d;
    }

    /** Every command Redis ran so far that a call could have sent, from {@code INFO commandstats}. */
    static long commands(int port) {
        long total = 0;
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            for (String line : j.info("commandstats").split("\r?\n")) {
                if (!line.startsWith("cmdstat_")) {
                    continue;
                }
                String command = line.substring("cmdstat_".length(), line.indexOf(':'));
                String base = command.contains("|") ? command.substring(0, command.indexOf('|')) : command;
                if (!NOT_PER_CALL.contains(base)) {
                    String rest = line.substring(line.indexOf("calls=") + "calls=".length());
                    total += Long.parseLong(rest.substring(0, rest.indexOf(',')));
                }
            }
        }
        return total;
    }

    /** The {@code redis-server} on the PATH, or null. */
    static String redisServer() {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    private static dev.toolguard.policy.load.PolicyBundle bundle() {
        LoadResult loaded = BundleLoader.load(List.of(POLICY));
        if (!loaded.ok()) {
            throw new IllegalStateException("benchmark policy does not load: " + loaded.errors());
        }
        return loaded.bundle();
    }
}
