package dev.toolguard.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.policy.approval.Approval;
import dev.toolguard.policy.approval.ApprovalJson;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApproverVerdict;
import dev.toolguard.policy.audit.JsonWriter;
import dev.toolguard.policy.audit.Redaction;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The admin API of SPEC §12 on the JDK's HTTP server: pending approvals, approving and rejecting them, the
 * loaded policy, and metrics. Every request needs {@code Authorization: Bearer <token>}; without a token
 * configured the server does not start. Its threads are daemons, so it never keeps the application alive.
 */
public final class AdminServer implements AutoCloseable {

    /** Request bodies larger than this are refused; an approval decision is a few hundred bytes. */
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPROVALS = "/approvals";

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] token;
    private final ApprovalService approvals;
    private final PolicyStatus policy;
    private final Metrics metrics;
    private final Redaction redaction;

    /**
     * @param listen    {@code host:port}, {@code :port} or {@code port}; without a host, loopback
     * @param tokenEnv  the environment variable holding the bearer token (SPEC §2 {@code admin.token_env})
     * @param redaction applied to approval arguments in responses
     */
    public record Settings(String listen, String tokenEnv, Redaction redaction) {
        public static final String DEFAULT_TOKEN_ENV = "TOOLGUARD_ADMIN_TOKEN";

        public Settings {
            tokenEnv = tokenEnv == null || tokenEnv.isBlank() ? DEFAULT_TOKEN_ENV : tokenEnv;
            redaction = redaction == null ? Redaction.DEFAULT : redaction;
        }
    }

    private AdminServer(HttpServer server, ExecutorService executor, byte[] token, ApprovalService approvals,
                        PolicyStatus policy, Metrics metrics, Redaction redaction) {
        this.server = server;
        this.executor = executor;
        this.token = token;
        this.approvals = approvals;
        this.policy = policy;
        this.metrics = metrics;
        this.redaction = redaction;
    }

    /**
     * Starts the server, or says on {@code diagnostics} why not (no token, bad address, port taken) and
     * returns empty. Never throws.
     *
     * @param env reads environment variables ({@code System::getenv} in production)
     */
    public static Optional<AdminServer> start(Settings settings, Function<String, String> env,
                                              ApprovalService approvals, PolicyStatus policy, Metrics metrics,
                                              Consumer<String> diagnostics) {
        String secret = env.apply(settings.tokenEnv());
        if (secret == null || secret.isBlank()) {
            diagnostics.accept("toolguard: admin API not started: environment variable " + settings.tokenEnv()
                    + " is not set, and the admin API never runs without a bearer token");
            return Optional.empty();
        }
        InetSocketAddress address;
        try {
            address = parseListen(settings.listen());
        } catch (IllegalArgumentException e) {
            diagnostics.accept("toolguard: admin API not started: " + e.getMessage());
            return Optional.empty();
        }
        if (!address.getAddress().isLoopbackAddress()) {
            diagnostics.accept("toolguard: admin API listens on " + address + ", beyond this machine");
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "toolguard-admin-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer http = HttpServer.create(address, 16);
            AdminServer admin = new AdminServer(http, executor, secret.trim().getBytes(StandardCharsets.UTF_8),
                    approvals, policy, metrics, settings.redaction());
            http.createContext("/", admin::handle);
            http.setExecutor(executor);
            startAsDaemon(http);
            return Optional.of(admin);
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            diagnostics.accept("toolguard: admin API not started: cannot listen on " + settings.listen() + ": " + e);
            return Optional.empty();
        }
    }

    /** The address actually bound (the port is chosen by the OS when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Parses {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port}; no host means loopback. */
    static InetSocketAddress parseListen(String listen) {
        if (listen == null || listen.isBlank()) {
            throw new IllegalArgumentException("admin.listen is empty (expected host:port, e.g. 127.0.0.1:9464)");
        }
        String s = listen.trim();
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "" : s.substring(0, colon);
        String portText = colon < 0 ? s : s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("admin.listen '" + listen + "' has no port (expected host:port)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin.listen '" + listen + "': port out of range");
        }
        try {
            InetAddress addr = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(addr, port);
        } catch (IOException e) {
            throw new IllegalArgumentException("admin.listen '" + listen + "': unknown host '" + host + "'");
        }
    }

    /** The JDK server's dispatcher thread inherits daemon-ness from the thread that starts it. */
    private static void startAsDaemon(HttpServer http) {
        RuntimeException[] failure = new RuntimeException[1];
        Thread starter = new Thread(() -> {
            try {
                http.start();
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "toolguard-admin-start");
        starter.setDaemon(true);
        starter.start();
        boolean interrupted = false;
        while (true) {
            try {
                starter.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"toolguard\"");
                sendError(exchange, 401, "missing or wrong bearer token");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            if (path.equals(APPROVALS) || path.equals(APPROVALS + "/")) {
                if (allow(exchange, method, "GET")) {
                    listApprovals(exchange);
                }
            } else if (path.startsWith(APPROVALS + "/") && path.indexOf('/', APPROVALS.length() + 1) < 0) {
                String id = path.substring(APPROVALS.length() + 1);
                if (method.equals("GET")) {
                    showApproval(exchange, id);
                } else if (allow(exchange, method, "GET, POST")) {
                    decide(exchange, id);
                }
            } else if (path.equals("/policy")) {
                if (allow(exchange, method, "GET")) {
                    showPolicy(exchange);
                }
            } else if (path.equals("/metrics")) {
                if (allow(exchange, method, "GET")) {
                    showMetrics(exchange);
                }
            } else {
                sendError(exchange, 404, "no such endpoint: " + path);
            }
        } catch (RuntimeException e) {
            metrics.internalError();
            sendError(exchange, 500, "internal error: " + e);
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, presented);
    }

    /** True when {@code method} is one of {@code allowed}; otherwise answers 405. */
    private static boolean allow(HttpExchange exchange, String method, String allowed) throws IOException {
        if (List.of(allowed.split(", ")).contains(method)) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", allowed);
        sendError(exchange, 405, method + " is not allowed here (allowed: " + allowed + ")");
        return false;
    }

    private void listApprovals(HttpExchange exchange) throws IOException {
        List<Approval> pending = approvals.pending();
        JsonWriter json = new JsonWriter(redaction).beginArray();
        for (Approval a : pending) {
            ApprovalJson.write(json, a);
        }
        sendJson(exchange, 200, json.endArray());
    }

    private void showApproval(HttpExchange exchange, String id) throws IOException {
        Optional<Approval> found = approvals.find(id);
        if (found.isEmpty()) {
            sendError(exchange, 404, "no approval with id " + id);
            return;
        }
        JsonWriter json = new JsonWriter(redaction);
        ApprovalJson.write(json, found.get());
        sendJson(exchange, 200, json);
    }

    private void decide(HttpExchange exchange, String id) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                sendError(exchange, 413, "request body too large");
                return;
            }
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            sendError(exchange, 400, "the body is not JSON: expected {\"decision\":\"approve\"|\"reject\",\"by\":\"…\",\"reason\":\"…\"}");
            return;
        }
        String problem = badDecision(body);
        if (problem != null) {
            sendError(exchange, 400, problem);
            return;
        }
        boolean approve = body.get("decision").asText().equals("approve");
        String by = body.get("by").asText();
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        ApproverVerdict verdict = approvals.decide(id, approve, by, reason);
        switch (verdict.outcome()) {
            case DECIDED -> {
                JsonWriter json = new JsonWriter(redaction);
                ApprovalJson.write(json, verdict.approval());
                sendJson(exchange, 200, json);
            }
            case UNKNOWN -> sendError(exchange, 404, verdict.message());
            case ALREADY_DECIDED -> sendError(exchange, 409, verdict.message());
            default -> {
                metrics.internalError();
                sendError(exchange, 500, verdict.message());
            }
        }
    }

    /** Why a decision body is unacceptable, or null when it is fine. */
    private static String badDecision(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "expected a JSON object {\"decision\":\"approve\"|\"reject\",\"by\":\"…\",\"reason\":\"…\"}";
        }
        var names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("decision") && !name.equals("by") && !name.equals("reason")) {
                return "unknown field '" + name + "' (expected decision, by, reason)";
            }
        }
        JsonNode decision = body.get("decision");
        if (decision == null || !decision.isTextual()
                || !(decision.asText().equals("approve") || decision.asText().equals("reject"))) {
            return "\"decision\" must be \"approve\" or \"reject\"";
        }
        JsonNode by = body.get("by");
        if (by == null || !by.isTextual() || by.asText().isBlank()) {
            return "\"by\" must name who decides";
        }
        JsonNode reason = body.get("reason");
        if (reason != null && !reason.isNull() && !reason.isTextual()) {
            return "\"reason\" must be a string";
        }
        return null;
    }

    private void showPolicy(HttpExchange exchange) throws IOException {
        PolicyStatus.Snapshot s = policy.current();
        JsonWriter json = new JsonWriter(redaction).beginObject()
                .field("name", s.name())
                .field("version", s.version())
                .field("sha256", s.sha256());
        json.name("sources").beginArray();
        for (String source : s.sources()) {
            json.string(source);
        }
        json.endArray().field("last_error", s.lastError()).endObject();
        sendJson(exchange, 200, json);
    }

    private void showMetrics(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder(4096);
        metrics.writePrometheus(text);
        Metrics.family(text, "toolguard_approvals_pending", "gauge", "Approval requests waiting for a decision.");
        text.append("toolguard_approvals_pending ").append(approvals.pending().size()).append('\n');
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void sendJson(HttpExchange exchange, int status, JsonWriter json) throws IOException {
        send(exchange, status, "application/json", json.toBytes());
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        JsonWriter json = new JsonWriter(Redaction.NONE).beginObject().field("error", message).endObject();
        send(exchange, status, "application/json", json.toBytes());
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
