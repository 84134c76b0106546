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
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SPEC §14 on loopback: a rate-limited call decided with its token in memory ({@code m_limitedMemory}) and in a
 * Redis server started for the run ({@code r_limitedRedis}). The difference is the latency Redis adds; the commands
 * After the run, {@code MONITOR} watches a thousand more calls: the commands clients sent (the ones a script ran
 * on the server are not round trips, and MONITOR marks them {@code lua}), divided by the calls, are the round trips
 * per call, written to {@link #ROUNDTRIPS_FILE} for the summary. MONITOR slows Redis down, so it watches only then.
 * Without {@code redis-server} on the PATH, {@link RunAll} leaves the Redis variant out and the summary says so.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class SharedStateBenchmark {

    static final String POLICY = "benchmarks/config/limited.yaml";
    static final Path ROUNDTRIPS_FILE = Path.of("benchmarks/target/redis-roundtrips.json");
    /** Calls watched by MONITOR after the measured run. */
    private static final int WATCHED_CALLS = 1000;
    private static final String END_MARK = "toolguard-bench-end";

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
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            try {
                double perCall = (double) commandsSentBy(this) / WATCHED_CALLS;
                Files.createDirectories(ROUNDTRIPS_FILE.getParent());
                Files.writeString(ROUNDTRIPS_FILE, "{\"redis_roundtrips_per_call\": " + perCall + ", \"calls\": "
                        + WATCHED_CALLS + "}\n");
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
        return d;
    }

    /** The commands clients sent while {@link #WATCHED_CALLS} calls were decided, as MONITOR saw them. */
    static long commandsSentBy(OnRedis s) throws Exception {
        AtomicLong sent = new AtomicLong();
        CountDownLatch watching = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        Jedis monitor = new Jedis("127.0.0.1", s.port);
        Thread watcher = new Thread(() -> {
            try {
                monitor.monitor(new JedisMonitor() {
                    @Override
                    public void proceed(Connection client) {
                        watching.countDown();
                        super.proceed(client);
                    }

                    @Override
                    public void onCommand(String command) {
                        if (command.contains(END_MARK)) {
                            ended.countDown();
                        } else if (!command.contains(" lua] ")) {
                            sent.incrementAndGet(); // a script's own commands are marked [<db> lua]
                        }
                    }
                });
            } catch (RuntimeException closed) {
                // the connection was closed to end the watch
            }
        }, "monitor");
        watcher.setDaemon(true);
        watcher.start();
        watching.await(10, TimeUnit.SECONDS);
        for (int i = 0; i < WATCHED_CALLS; i++) {
            PendingCharges charges = PendingCharges.open();
            s.engine.decide(CALL);
            charges.commit();
        }
        try (Jedis marker = new Jedis("127.0.0.1", s.port)) {
            marker.echo(END_MARK); // MONITOR shows commands in order: once this is seen, every call's are
        }
        ended.await(10, TimeUnit.SECONDS);
        monitor.close();
        return sent.get();
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
