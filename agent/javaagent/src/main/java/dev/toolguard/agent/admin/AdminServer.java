package dev.toolguard.agent.admin;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.toolguard.policy.approval.Approval;
import dev.toolguard.policy.approval.ApprovalJson;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovalStoreUnavailableException;
import dev.toolguard.policy.approval.ApproverVerdict;
import dev.toolguard.policy.audit.AuditAnchor;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.Redaction;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The admin API of SPEC §12: pending approvals, approving and rejecting them, the loaded policy, and metrics.
 * Every request needs {@code Authorization: Bearer <token>} of a configured user (SPEC §16 {@code admin.users});
 * the user's role decides what the request may do, and an approval is recorded under the user's name. Without a
 * user the server does not start. It runs on {@link BoundedHttpServer}, which no slow client can stall
 * (SPEC §13.12). Its threads are daemons, so it never keeps the application alive.
 */
public final class AdminServer implements AutoCloseable {

    /** Bodies are read strictly: a duplicate key or anything after the object makes the request ambiguous. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final String APPROVALS = "/approvals";
    /** The user {@code admin.token_env} stands for. */
    public static final String TOKEN_ENV_USER = "admin";

    private final BoundedHttpServer server;
    private final List<Credential> users;
    private final int maxBodyBytes;
    private final ApprovalService approvals;
    private final PolicyStatus policy;
    private final Metrics metrics;
    private final Redaction redaction;
    /** Null until the agent hands over its open audit log; {@code GET /audit/anchor} is a 503 meanwhile. */
    private volatile AuditAnchorSource auditAnchor;
    /** Null until the agent hands over its tool registry; {@code GET /tools} is a 503 meanwhile. */
    private volatile GuardedTools tools;
    /** Makes the console when it is first asked for; null: no console, {@code /} needs a bearer token as any path. */
    private volatile java.util.function.Function<ConsolePages.Host, ConsolePages> consoleFactory;
    private ConsolePages console;
    private final AdminLimits limits;

    /**
     * @param listen    {@code host:port}, {@code :port} or {@code port}; without a host, loopback
     * @param tokenEnv  the environment variable holding the token of the user {@code admin} (SPEC §2
     *                  {@code admin.token_env}); when it is unset, that user does not exist
     * @param users     the named users of {@code admin.users}
     * @param limits    timeouts and sizes granted to clients
     * @param redaction applied to approval arguments in responses
     */
    public record Settings(String listen, String tokenEnv, List<User> users, AdminLimits limits, Redaction redaction) {
        public static final String DEFAULT_TOKEN_ENV = "TOOLGUARD_ADMIN_TOKEN";

        public Settings {
            tokenEnv = tokenEnv == null || tokenEnv.isBlank() ? DEFAULT_TOKEN_ENV : tokenEnv;
            users = users == null ? List.of() : List.copyOf(users);
            limits = limits == null ? AdminLimits.DEFAULT : limits;
            redaction = redaction == null ? Redaction.DEFAULT : redaction;
        }

        /** Only the token of {@code admin.token_env}, with the default limits. */
        public Settings(String listen, String tokenEnv, Redaction redaction) {
            this(listen, tokenEnv, List.of(), AdminLimits.DEFAULT, redaction);
        }
    }

    /**
     * A named user of the admin API and the console, whose token is read from the environment variable
     * {@code tokenEnv}, or else from {@code tokenFile}.
     */
    public record User(String name, String tokenEnv, java.nio.file.Path tokenFile, AdminRole role) {

        /** A user whose token is in an environment variable. */
        public User(String name, String tokenEnv, AdminRole role) {
            this(name, tokenEnv, null, role);
        }
    }

    /** A user with the SHA-256 of their token: digests have one length, so comparing them leaks no length. */
    private record Credential(String name, AdminRole role, byte[] tokenDigest) {
    }

    private AdminServer(BoundedHttpServer server, List<Credential> users, AdminLimits limits, ApprovalService approvals,
                        PolicyStatus policy, Metrics metrics, Redaction redaction) {
        this.server = server;
        this.users = users;
        this.maxBodyBytes = limits.maxBodyBytes();
        this.limits = limits;
        this.approvals = approvals;
        this.policy = policy;
        this.metrics = metrics;
        this.redaction = redaction;
    }

    /**
     * Starts the server, or says on {@code diagnostics} why not (no user with a token, a user without one,
     * two users with one token, bad address, port taken) and returns empty. Never throws.
     *
     * @param env reads environment variables ({@code System::getenv} in production)
     */
    public static Optional<AdminServer> start(Settings settings, Function<String, String> env,
                                              ApprovalService approvals, PolicyStatus policy, Metrics metrics,
                                              Consumer<String> diagnostics) {
        List<Credential> users;
        try {
            users = credentials(settings, env);
        } catch (IllegalArgumentException e) {
            diagnostics.accept("toolguard: admin API not started: " + e.getMessage());
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
        try {
            BoundedHttpServer http = BoundedHttpServer.bind(address, settings.limits(), "toolguard-admin-");
            AdminServer admin = new AdminServer(http, users, settings.limits(), approvals, policy,
                    metrics, settings.redaction());
            http.serve(admin::handle);
            return Optional.of(admin);
        } catch (IOException | RuntimeException e) {
            diagnostics.accept("toolguard: admin API not started: cannot listen on " + settings.listen() + ": " + e);
            return Optional.empty();
        }
    }

    /**
     * The fewest characters a bearer token may have: a shorter one could be guessed, and the admin API decides
     * approvals. A shorter token keeps the server from starting (the config check also refuses it).
     */
    public static final int MIN_TOKEN_CHARS = 16;

    /** Null when {@code token} is long enough, else why not, naming the variable and never the token. */
    public static String tokenTooShort(String variable, String token) {
        return tokenTooShortIn("environment variable " + variable, token);
    }

    /** As {@link #tokenTooShort}, for a token read from {@code source} ({@code file /run/secrets/alice}, say). */
    public static String tokenTooShortIn(String source, String token) {
        return token.trim().length() >= MIN_TOKEN_CHARS ? null : "the token in " + source
                + " is shorter than " + MIN_TOKEN_CHARS + " characters; the admin API needs a longer one "
                + "(e.g. openssl rand -hex 32)";
    }

    /**
     * The users whose tokens are set; refuses a listed user without a token, a token shorter than
     * {@link #MIN_TOKEN_CHARS}, and two users sharing one.
     */
    private static List<Credential> credentials(Settings settings, Function<String, String> env) {
        List<Credential> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String adminSecret = env.apply(settings.tokenEnv());
        if (adminSecret != null && !adminSecret.isBlank()) {
            String tooShort = tokenTooShort(settings.tokenEnv(), adminSecret);
            if (tooShort != null) {
                throw new IllegalArgumentException(tooShort);
            }
            out.add(new Credential(TOKEN_ENV_USER, AdminRole.ADMIN, digest(adminSecret.trim())));
            names.add(TOKEN_ENV_USER);
        }
        for (User user : settings.users()) {
            String secret;
            String source;
            if (user.tokenFile() != null) {
                source = "file " + user.tokenFile();
                try {
                    secret = java.nio.file.Files.readString(user.tokenFile(), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException("cannot read the " + source + " (the token of admin user "
                            + user.name() + "): " + e.getClass().getSimpleName());
                }
                if (secret.isBlank()) {
                    throw new IllegalArgumentException("the " + source + " (the token of admin user " + user.name()
                            + ") is empty");
                }
            } else {
                source = "environment variable " + user.tokenEnv();
                secret = env.apply(user.tokenEnv());
                if (secret == null || secret.isBlank()) {
                    throw new IllegalArgumentException("environment variable " + user.tokenEnv()
                            + " (the token of admin user " + user.name() + ") is not set");
                }
            }
            String tooShort = tokenTooShortIn(source, secret);
            if (tooShort != null) {
                throw new IllegalArgumentException(tooShort + " (the token of admin user " + user.name() + ")");
            }
            if (!names.add(user.name())) {
                throw new IllegalArgumentException("two admin users are named " + user.name()
                        + (user.name().equals(TOKEN_ENV_USER) ? " (admin.token_env " + settings.tokenEnv() + " is set too)" : ""));
            }
            out.add(new Credential(user.name(), user.role(), digest(secret.trim())));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + settings.tokenEnv()
                    + " is not set and admin.users names nobody, and the admin API never runs without a bearer token");
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = i + 1; j < out.size(); j++) {
                if (MessageDigest.isEqual(out.get(i).tokenDigest(), out.get(j).tokenDigest())) {
                    throw new IllegalArgumentException("admin users " + out.get(i).name() + " and " + out.get(j).name()
                            + " have the same token, so who approved could not be told");
                }
            }
        }
        return List.copyOf(out);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Serves {@code GET /audit/anchor} from {@code source} (SPEC §13.11); without one it answers 503. */
    public void serveAuditAnchor(AuditAnchorSource source) {
        this.auditAnchor = source;
    }

    /** Serves {@code GET /tools} from {@code source} (SPEC §12); without one it answers 503. */
    public void serveTools(GuardedTools source) {
        this.tools = source;
    }

    /**
     * Serves the web console at {@code /} (SPEC §16), made by {@code factory} when a console page is first asked
     * for: an agent whose console nobody opens never loads its classes.
     */
    public void serveConsole(java.util.function.Function<ConsolePages.Host, ConsolePages> factory) {
        this.consoleFactory = factory;
    }

    /** True for the paths the console answers: {@code /} and everything under {@code /console/}. */
    static boolean consolePath(String path) {
        return path.equals("/") || path.equals("/console") || path.startsWith("/console/");
    }

    private synchronized ConsolePages console() {
        if (console == null) {
            AdminServer admin = this;
            console = consoleFactory.apply(new ConsolePages.Host() {
                @Override
                public Optional<AdminUser> userOf(String token) {
                    return admin.userOf(token).map(c -> new AdminUser(c.name(), c.role()));
                }

                @Override
                public AuditAnchorSource auditAnchor() {
                    return admin.auditAnchor;
                }

                @Override
                public AdminLimits limits() {
                    return admin.limits;
                }
            });
        }
        return console;
    }

    /** The address actually bound (the port is chosen by the OS when 0 was asked). */
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            // inside the try-with-resources: closing the exchange first would answer a bare 500 before these could
            try {
                if (consoleFactory != null && consolePath(exchange.getRequestURI().getPath())) {
                    console().handle(exchange); // signs people in with its own session cookie
                    return;
                }
                route(exchange);
            } catch (ApprovalStoreUnavailableException e) {
                // the fleet's approvals are in a store that does not answer (SPEC §14): nothing to show or decide now
                sendError(exchange, 503, "the shared state store does not answer: " + e.getMessage() + "; try again");
            } catch (RuntimeException e) {
                metrics.internalError();
                sendError(exchange, 500, "internal error: " + e);
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        Optional<Credential> user = authenticate(exchange);
        if (user.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"toolguard\"");
            sendError(exchange, 401, "missing or wrong bearer token");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        AdminRole needed = neededRole(method, path);
        if (!user.get().role().covers(needed)) {
            sendError(exchange, 403, "user " + user.get().name() + " is a " + user.get().role().configName()
                    + "; " + method + " " + path + " needs the role " + needed.configName());
            return;
        }
        if (path.equals(APPROVALS) || path.equals(APPROVALS + "/")) {
            if (allow(exchange, method, "GET")) {
                listApprovals(exchange);
            }
        } else if (path.startsWith(APPROVALS + "/") && path.indexOf('/', APPROVALS.length() + 1) < 0) {
            String id = path.substring(APPROVALS.length() + 1);
            if (method.equals("GET")) {
                showApproval(exchange, id);
            } else if (allow(exchange, method, "GET, POST")) {
                decide(exchange, id, user.get());
            }
        } else if (path.equals("/policy")) {
            if (allow(exchange, method, "GET")) {
                showPolicy(exchange);
            }
        } else if (path.equals("/metrics")) {
            if (allow(exchange, method, "GET")) {
                showMetrics(exchange);
            }
        } else if (path.equals("/tools")) {
            if (allow(exchange, method, "GET")) {
                showTools(exchange);
            }
        } else if (path.equals("/audit/anchor")) {
            if (allow(exchange, method, "GET")) {
                showAuditAnchor(exchange);
            }
        } else {
            sendError(exchange, 404, "no such endpoint: " + path);
        }
    }

    /** The user whose token the request bears; every user's token is compared, so timing tells nothing. */
    private Optional<Credential> authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return userOf(header.substring(7));
    }

    /** The user whose token {@code token} is; every user's token is compared, so timing tells nothing. */
    private Optional<Credential> userOf(String token) {
        if (token == null) {
            return Optional.empty();
        }
        byte[] presented = digest(token.trim());
        Credential found = null;
        for (Credential user : users) {
            if (MessageDigest.isEqual(user.tokenDigest(), presented) && found == null) {
                found = user;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Reads need a viewer, deciding approvals an approver, and anything else (present or future) an admin. */
    private static AdminRole neededRole(String method, String path) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return AdminRole.VIEWER;
        }
        if (method.equals("POST") && path.startsWith(APPROVALS + "/")) {
            return AdminRole.APPROVER;
        }
        return AdminRole.ADMIN;
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

    private void decide(HttpExchange exchange, String id, Credential user) throws IOException {
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                sendError(exchange, 413, "request body too large: at most " + maxBodyBytes + " bytes");
                return;
            }
            body = JSON.readTree(bytes);
        } catch (SocketTimeoutException e) {
            throw e; // the body did not arrive within admin.read_timeout: the server hangs up
        } catch (StreamReadException e) {
            sendError(exchange, 400, ambiguity(e.getOriginalMessage()));
            return;
        } catch (MismatchedInputException e) {
            sendError(exchange, 400, ambiguity(e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            sendError(exchange, 400, "the body is not JSON: expected " + DECISION_FORM);
            return;
        }
        String problem = badDecision(body);
        if (problem != null) {
            sendError(exchange, 400, problem);
            return;
        }
        String by = body.hasNonNull("by") ? body.get("by").asText() : user.name();
        if (!by.equals(user.name())) {
            sendError(exchange, 403, "\"by\" names " + by + " but the token is " + user.name()
                    + "'s: an approval is recorded under the name of the user whose token decides it");
            return;
        }
        boolean approve = body.get("decision").asText().equals("approve");
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
            case UNAVAILABLE -> sendError(exchange, 503, verdict.message());
            default -> {
                metrics.internalError();
                sendError(exchange, 500, verdict.message());
            }
        }
    }

    private static final String DECISION_FORM = "{\"decision\":\"approve\"|\"reject\",\"reason\":\"…\"}"
            + " (\"by\" may be given, and must then name the token's user)";

    /** What a strict read refused, said for people: a duplicate key, content after the object, or bad JSON. */
    private static String ambiguity(String jacksonMessage) {
        String m = jacksonMessage == null ? "" : jacksonMessage;
        if (m.startsWith("Duplicate field")) {
            return "ambiguous JSON: " + m.replace("Duplicate field", "duplicate key") + "; each key may appear once";
        }
        if (m.startsWith("Trailing token")) {
            return "ambiguous JSON: content after the JSON object; send exactly one object " + DECISION_FORM;
        }
        return "the body is not JSON: expected " + DECISION_FORM;
    }

    /** Why a decision body is unacceptable, or null when it is fine. */
    private static String badDecision(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "expected a JSON object " + DECISION_FORM;
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
        if (by != null && !by.isNull() && (!by.isTextual() || by.asText().isBlank())) {
            return "\"by\", when given, must name who decides";
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
        json.name("revision").value(s.revision());
        json.field("key_id", s.keyId());
        json.name("sources").beginArray();
        for (String source : s.sources()) {
            json.string(source);
        }
        json.endArray().field("last_error", s.lastError());
        json.name("warnings").beginArray();
        for (String warning : s.warnings()) {
            json.string(warning);
        }
        json.endArray().endObject();
        sendJson(exchange, 200, json);
    }

    /**
     * {@code {"guarded":6,"tools":[{"tool":"issue_refund","method":"com.acme.Tools#issueRefund(String,double)",
     * "module":"guarded-tool","entry":"tools.issue_refund"}, ...]}}, in the order the tools were guarded; a tool no
     * entry names reads {@code "entry":"default","default":"deny"}.
     */
    private void showTools(HttpExchange exchange) throws IOException {
        GuardedTools source = tools;
        if (source == null) {
            sendError(exchange, 503, "the agent is starting: no tool is guarded yet");
            return;
        }
        List<GuardedTools.Tool> all = source.current();
        JsonWriter json = new JsonWriter(Redaction.NONE).beginObject().field("guarded", all.size());
        json.name("tools").beginArray();
        for (GuardedTools.Tool t : all) {
            json.beginObject().field("tool", t.tool()).field("method", t.method()).field("module", t.module())
                    .field("entry", t.entry());
            if (t.defaultAction() != null) {
                json.field("default", t.defaultAction());
            }
            json.endObject();
        }
        sendJson(exchange, 200, json.endArray().endObject());
    }

    /** {@code {"hash":"<64 hex>","count":<records in the file>}}; 503 while the log is not open or has failed. */
    private void showAuditAnchor(HttpExchange exchange) throws IOException {
        AuditAnchorSource source = auditAnchor;
        if (source == null) {
            sendError(exchange, 503, "the audit log is not open");
            return;
        }
        AuditAnchor anchor;
        try {
            anchor = source.anchor();
        } catch (AuditWriteException e) {
            sendError(exchange, 503, "the audit log cannot be anchored: " + e.getMessage());
            return;
        }
        JsonWriter json = new JsonWriter(Redaction.NONE).beginObject()
                .field("hash", anchor.hash())
                .field("count", anchor.count())
                .endObject();
        sendJson(exchange, 200, json);
    }

    private void showMetrics(HttpExchange exchange) throws IOException {
        StringBuilder text = new StringBuilder(4096);
        metrics.writePrometheus(text);
        Metrics.family(text, "toolguard_approvals_pending", "gauge", "Approval requests waiting for a decision.");
        try {
            int pending = approvals.pending().size();
            text.append("toolguard_approvals_pending ").append(pending).append('\n');
        } catch (ApprovalStoreUnavailableException e) {
            // the count lives in a store that does not answer: no sample rather than a wrong one
        }
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
