package dev.toolguard.policy.state.redis;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} for tests, on a free loopback port in a temporary directory, with its data on disk
 * (append-only, synced on every write) so that a stop and a restart keep the counters. When no {@code redis-server}
 * is on the PATH the test is skipped (an assumption), never passed.
 */
public final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts one, or skips the calling test when {@code redis-server} is not installed. */
    public static RedisServer start() throws IOException {
        String binary = binary();
        Assumptions.assumeTrue(binary != null, "redis-server is not on the PATH: the shared-state test is skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer server = new RedisServer(Files.createTempDirectory("toolguard-redis"), port);
        server.startProcess();
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Stops the server (SIGTERM: it writes its data first) and waits for it to be gone. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }

    /** Whether the server was started and not stopped since. */
    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Freezes the server (SIGSTOP): it keeps its connections but answers nothing, as a hung Redis does. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a {@link #pause paused} server run again (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** Starts it again on the same port and data. */
    public void restart() throws IOException {
        startProcess();
    }

    /** How many times {@code command} ran on this server since it started (from {@code INFO commandstats}). */
    public long calls(String command) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_" + command + ":calls=")) {
                    String rest = line.substring(("cmdstat_" + command + ":calls=").length());
                    return Long.parseLong(rest.substring(0, rest.indexOf(',')));
                }
            }
            return 0;
        }
    }

    /** Every command but the ones a test harness runs itself (INFO, PING, CONFIG), summed. */
    public long allCalls() {
        long total = 0;
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (String line : jedis.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:") && !line.startsWith("cmdstat_ping:")
                        && !line.startsWith("cmdstat_config")) {
                    String rest = line.substring(line.indexOf("calls=") + "calls=".length());
                    total += Long.parseLong(rest.substring(0, rest.indexOf(',')));
                }
            }
        }
        return total;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void startProcess() throws IOException {
        process = new ProcessBuilder(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
                "--daemonize", "no", "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                return "PONG".equals(jedis.ping());
            }
        });
    }

    private static String binary() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, "redis-server");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
