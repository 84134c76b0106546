import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fleet on one machine: three replicas of the plain-java support agent sharing one Redis server and one signed
 * policy bundle served over HTTP. It makes a key pair, signs the bundle, serves it, starts redis-server and the
 * replicas, drives calls that show a limit shared across the replicas and approvals decided on another replica
 * than the one that asked, then stops everything. Run by {@code run.sh}; needs only a JDK and redis-server.
 *
 * <pre>java sample-apps/fleet/FleetDemo.java [--agent jar] [--api jar] [--sample jar] [--work dir]</pre>
 * Paths default to the built jars, from the repository root. Exits 1 when anything did not go as described.
 */
public final class FleetDemo {

    private static final PrintStream OUT = System.out;
    private static final Pattern ADMIN_URL = Pattern.compile("; admin API on (http://\\S+)");
    private static final Pattern APPROVAL_ID = Pattern.compile("apr_[0-9a-f]{16}");

    private final Map<String, String> options;
    private final Path work;
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final String token = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final List<String> unexpected = new ArrayList<>();
    private HttpServer bundleServer;

    private record Replica(String name, Process process, Path stdout, String admin) {
    }

    private FleetDemo(Map<String, String> options) {
        this.options = options;
        this.work = Path.of(options.getOrDefault("work", "sample-apps/fleet/target/demo")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        FleetDemo demo = new FleetDemo(options);
        int exit;
        try {
            exit = demo.run();
        } finally {
            demo.stopAll();
        }
        System.exit(exit);
    }

    private int run() throws Exception {
        String agent = Path.of(options.getOrDefault("agent", "agent/javaagent/target/toolguard-agent.jar")).toAbsolutePath().toString();
        String sample = Path.of(options.getOrDefault("sample", "sample-apps/plain-java/target/sample-plain-java.jar")).toAbsolutePath().toString();
        String api = Path.of(options.containsKey("api") ? options.get("api") : apiJar()).toAbsolutePath().toString();
        Path fleet = Path.of(options.getOrDefault("fleet", "sample-apps/fleet")).toAbsolutePath();
        Path rules = fleet.resolveSibling("plain-java").resolve("rules.yaml");
        deleteTree(work);
        Files.createDirectories(work);

        OUT.println("== 1. a key pair, and the fleet's policy bundle signed with it (revision 1)");
        Path bundle = work.resolve("bundle");
        Files.createDirectories(bundle);
        try (Stream<Path> files = Files.list(fleet.resolve("policies"))) {
            for (Path f : files.toList()) {
                Files.copy(f, bundle.resolve(f.getFileName()));
            }
        }
        cli(agent, "keygen", "--out", work.resolve("keys/release").toString());
        cli(agent, "sign", bundle.toString(), "--key", work.resolve("keys/release.key").toString(), "--revision", "1");

        bundleServer = serve(bundle);
        String bundleUrl = "http://127.0.0.1:" + bundleServer.getAddress().getPort() + "/support-agent/";
        OUT.println("== 2. the signed bundle served over HTTP at " + bundleUrl);

        int redisPort = freePort();
        Process redis = start(List.of(redisServer(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"), work.resolve("redis.log"));
        OUT.println("== 3. redis-server on 127.0.0.1:" + redisPort + " (pid " + redis.pid() + ")");

        OUT.println("== 4. three replicas of the support agent, each with its own admin API");
        for (String name : List.of("a", "b", "c")) {
            Path dir = work.resolve(name);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("toolguard.yaml"), """
                    policy:
                      sources: [%s]
                      reload: 5s
                      signing:
                        public_keys: [%s]
                    instrumentation:
                      builtin: [guarded-tool]
                      rules: [%s]
                    audit:
                      file: audit.jsonl
                    admin:
                      listen: 127.0.0.1:0
                    state:
                      store: redis
                      redis: {url: "redis://127.0.0.1:%d/0", prefix: "support-agent:", timeout: 500ms}
                      on_unavailable: deny
                    """.formatted(bundleUrl, work.resolve("keys/release.pub"), rules, redisPort));
            ProcessBuilder pb = new ProcessBuilder(java, "-javaagent:" + agent + "=config=" + dir.resolve("toolguard.yaml"),
                    "-cp", sample + File.pathSeparator + api, "dev.toolguard.sample.support.SupportAgent", "--serve")
                    .directory(dir.toFile()).redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile());
            pb.environment().put("TOOLGUARD_ADMIN_TOKEN", token);
            Process p = pb.start();
            processes.add(p);
            replicas.put(name, new Replica(name, p, dir.resolve("stdout.txt"), null));
        }
        for (String name : List.of("a", "b", "c")) {
            Replica r = replicas.get(name);
            String admin = waitFor(() -> {
                Matcher m = ADMIN_URL.matcher(read(work.resolve(name).resolve("stderr.txt")));
                return m.find() ? m.group(1) : null;
            }, "the admin API of replica " + name);
            waitFor(() -> read(r.stdout()).lines().anyMatch("ready"::equals) ? "" : null, "replica " + name);
            replicas.put(name, new Replica(name, r.process(), r.stdout(), admin));
            String startLine = read(work.resolve(name).resolve("stderr.txt")).lines()
                    .filter(l -> l.startsWith("ToolGuard ")).findFirst().orElse("");
            OUT.println("   " + name + ": " + startLine);
        }

        OUT.println();
        OUT.println("== 5. one limit for the whole fleet: alice may refund 5 times an hour, whichever replica answers");
        int allowed = 0;
        String last = null;
        for (int i = 1; i <= 6; i++) {
            String on = List.of("a", "b", "c").get((i - 1) % 3);
            last = call(on, "r" + i, "alice issue_refund customer_id=c-10" + i + " amount=50 reason=late");
            if (last.startsWith("ok: ")) {
                allowed++;
            }
        }
        expect(allowed == 5, "5 of 6 refunds allowed across the replicas, not " + allowed);
        expect(last.contains("rate limit reached: at most 5 calls per 1h"), "the sixth refund is over the limit");

        OUT.println();
        OUT.println("== 6. an approval asked on replica a, decided through replica b's admin API");
        String waiting = "bob crm.update_account account_id=acct-77 field=tier value=platinum";
        OUT.println("   a> " + waiting + "   (waits for an approver)");
        send("a", "w1 " + waiting);
        String pending = waitFor(() -> {
            String list = admin("b", "GET", "/approvals", null);
            return list.contains("acct-77") ? list : null;
        }, "the request to be listed on b");
        Matcher id = APPROVAL_ID.matcher(pending);
        expect(id.find(), "b lists the request");
        OUT.println("   b: GET /approvals -> " + pending);
        long decided = System.nanoTime();
        OUT.println("   b: POST /approvals/" + id.group() + " -> " + admin("b", "POST", "/approvals/" + id.group(),
                "{\"decision\":\"approve\",\"reason\":\"checked with the account owner\"}"));
        String outcome = outcomeOf("a", "w1");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - decided);
        OUT.println("   a: " + outcome + "   (" + millis + " ms after the approval on b)");
        expect(outcome.equals("ok: acct-77 tier set to platinum"), "the waiting call on a runs once approved on b");

        OUT.println();
        OUT.println("== 7. a ticket: asked on a, approved on c, redeemed once on b");
        String refund = "bob issue_refund customer_id=c-2001 amount=3000 reason=contract-penalty";
        String asked = call("a", "t1", refund);
        Matcher ticket = APPROVAL_ID.matcher(asked);
        expect(ticket.find(), "the refund asks for an approval");
        OUT.println("   c: POST /approvals/" + ticket.group() + " -> " + admin("c", "POST", "/approvals/" + ticket.group(),
                "{\"decision\":\"approve\",\"reason\":\"penalty is in the contract\"}"));
        expect(call("b", "t2", refund).startsWith("ok: "), "the approved refund runs on b");
        expect(call("c", "t3", refund).contains("approval required"), "the same refund again needs a new approval");

        OUT.println();
        OUT.println("== 8. every replica decided with the signed bundle (GET /policy on c)");
        String policy = admin("c", "GET", "/policy", null);
        OUT.println("   " + policy);
        expect(policy.contains("\"revision\":1"), "the replicas report revision 1 of the signed bundle");

        OUT.println();
        if (unexpected.isEmpty()) {
            OUT.println("The fleet behaved as described. Audit logs: " + work + "/{a,b,c}/audit.jsonl");
            return 0;
        }
        unexpected.forEach(u -> OUT.println("UNEXPECTED: " + u));
        return 1;
    }

    /** Sends a call to a replica, prints it with its outcome, and returns the outcome. */
    private String call(String replica, String label, String call) throws Exception {
        send(replica, label + " " + call);
        String outcome = outcomeOf(replica, label);
        OUT.println("   " + replica + "> " + call);
        OUT.println("      " + outcome);
        return outcome;
    }

    private void send(String replica, String line) throws IOException {
        OutputStream in = replicas.get(replica).process().getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private String outcomeOf(String replica, String label) throws Exception {
        return waitFor(() -> read(replicas.get(replica).stdout()).lines().filter(l -> l.startsWith(label + ": "))
                .map(l -> l.substring(label.length() + 2)).findFirst().orElse(null), "the outcome of " + label);
    }

    private String admin(String replica, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(replicas.get(replica).admin() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10));
        r = body == null ? r.GET() : r.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private void expect(boolean held, String what) {
        if (!held) {
            unexpected.add(what);
        }
    }

    private void cli(String agent, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", agent));
        cmd.addAll(List.of(args));
        OUT.println("   $ toolguard " + String.join(" ", args).replace(work.toString(), "<work>"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("toolguard " + args[0] + " failed:\n" + output);
        }
        output.lines().forEach(l -> OUT.println("     " + l.replace(work.toString(), "<work>")));
    }

    /** Serves {@code dir} under {@code /support-agent/} with a strong ETag per file, answering If-None-Match. */
    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/support-agent/", (HttpExchange exchange) -> {
            try (exchange) {
                String name = exchange.getRequestURI().getPath().substring("/support-agent/".length());
                Path file = dir.resolve(name).normalize();
                if (name.isEmpty() || name.contains("/") || !file.startsWith(dir) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                byte[] bytes = Files.readAllBytes(file);
                String etag = "\"" + HexFormat.of().formatHex(sha256(bytes)) + "\"";
                exchange.getResponseHeaders().set("ETag", etag);
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Process start(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    private void stopAll() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        if (bundleServer != null) {
            bundleServer.stop(0);
        }
    }

    @FunctionalInterface
    private interface Probe {
        String value() throws Exception;
    }

    /** Asks until the answer is there (60 s at most: a loaded machine starts JVMs slowly). */
    private String waitFor(Probe probe, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String v = probe.value();
            if (v != null) {
                return v;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a process of the fleet ended (" + p.info().command().orElse("?")
                            + ") while waiting for " + what + "; see " + work);
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("gave up waiting for " + what + "; see " + work);
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String redisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("redis-server is not on the PATH (e.g. apt-get install redis-server)");
    }

    private static String apiJar() throws IOException {
        try (Stream<Path> jars = Files.list(Path.of("agent/api/target"))) {
            return jars.map(Path::toString).filter(n -> n.matches(".*toolguard-api-[^/]*\\.jar")
                    && !n.contains("sources") && !n.contains("javadoc")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("agent/api/target has no toolguard-api jar: build first"));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
