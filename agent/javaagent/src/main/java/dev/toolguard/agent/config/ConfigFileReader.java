package dev.toolguard.agent.config;

import dev.toolguard.agent.admin.AdminLimits;
import dev.toolguard.agent.admin.AdminRole;
import dev.toolguard.policy.load.Nearest;
import dev.toolguard.policy.values.Durations;
import dev.toolguard.policy.values.KeyLines;
import dev.toolguard.policy.values.LocatedList;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedReader;
import dev.toolguard.policy.values.LocatedScalar;
import dev.toolguard.policy.values.SourcePosition;
import dev.toolguard.policy.values.SourceProblem;
import dev.toolguard.policy.values.ValueBounds;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads {@code toolguard.yaml} (SPEC §2) into a {@link ConfigBuilder}, through the one located reader the
 * policy loader uses too ({@link LocatedReader}: syntax errors with hints, duplicate keys, bytes that are not
 * UTF-8, YAML's limits). Every problem names the key and {@code file:line:col}; unknown keys are problems,
 * never ignored. Relative paths in the file resolve against
 * the file's own directory, so the same file works whatever the application's working directory.
 */
final class ConfigFileReader {

    private static final Set<String> TOP_KEYS = Set.of("policy", "mode", "on_error", "instrumentation", "context",
            "audit", "approvals", "admin", "arguments", "state", "credentials");
    private static final Set<String> INSTRUMENTATION_KEYS = Set.of("builtin", "rules", "filter_discovery",
            "require_matches", "match_grace");

    private final Path file;
    private final String shownName;
    private final Path dir;
    private final List<ConfigProblem> problems;

    private ConfigFileReader(Path file, List<ConfigProblem> problems) {
        this.file = file;
        this.shownName = file.toString();
        this.dir = file.toAbsolutePath().getParent();
        this.problems = problems;
    }

    /** Reads {@code file} into {@code into}; problems are appended to {@code problems}. */
    static void read(Path file, ConfigBuilder into, List<ConfigProblem> problems) {
        new ConfigFileReader(file, problems).readInto(into);
    }

    private void readInto(ConfigBuilder b) {
        int before = problems.size();
        readChecked(b);
        if (problems.size() > before) {
            rulesFilesAnyway(b);
        }
    }

    /**
     * A config with problems is not trusted to say which {@code rules.yaml} files it meant either: a syntax error
     * anywhere in it, or a mistyped {@code rules} key, would leave every method those files name undecided. So the
     * files named under any key that is, or is a few letters from, {@code rules} are read too, from the file's lines
     * ({@link KeyLines}); their tools are guarded and, the config being broken, denied (SPEC §13.1). Only files
     * that exist are taken: a guess never adds a problem of its own.
     */
    private void rulesFilesAnyway(ConfigBuilder b) {
        List<KeyLines.Line> lines = KeyLines.of(file);
        List<String> keys = new ArrayList<>(TOP_KEYS);
        keys.addAll(INSTRUMENTATION_KEYS);
        for (int i = 0; i < lines.size(); i++) {
            KeyLines.Line line = lines.get(i);
            if (line.key() == null || !(line.key().equals("rules")
                    || Nearest.names(line.key(), keys).stream().findFirst().orElse("").equals("rules"))) {
                continue;
            }
            List<String> named = new ArrayList<>(KeyLines.inlineList(line.value()));
            for (int j = i + 1; j < lines.size() && lines.get(j).key() == null && lines.get(j).item(); j++) {
                named.add(lines.get(j).value());
            }
            for (String name : named) {
                try {
                    Path rules = dir.resolve(name).normalize();
                    if (java.nio.file.Files.isRegularFile(rules) && !b.rulesFiles.contains(rules)) {
                        b.rulesFiles = new ArrayList<>(b.rulesFiles);
                        b.rulesFiles.add(rules);
                    }
                } catch (InvalidPathException notAPath) {
                    // a value no path can be made of names no file
                }
            }
        }
    }

    private void readChecked(ConfigBuilder b) {
        LocatedReader.ReadResult read = LocatedReader.readFile(file, LocatedReader.MAX_FILE_BYTES, "the config file");
        if (read.root() == null && isEmptyDocument(read)) {
            b.configFile = file.toAbsolutePath(); // an empty file is an empty config
            return;
        }
        for (SourceProblem p : read.problems()) {
            problems.add(ConfigProblem.at(shownName, p.line(), p.column(), p.message()));
        }
        if (read.root() == null) {
            return;
        }
        b.configFile = file.toAbsolutePath();
        LocatedNode root = read.root();
        forEachKey(root, "", TOP_KEYS, (key, value) -> {
            switch (key) {
                case "policy" -> readPolicy(value, b);
                case "mode" -> enumValue(value, "mode", EnforcementMode.class).ifPresent(v -> b.mode = v);
                case "on_error" -> enumValue(value, "on_error", OnError.class).ifPresent(v -> b.onError = v);
                case "instrumentation" -> readInstrumentation(value, b);
                case "context" -> readContext(value, b);
                case "audit" -> readAudit(value, b);
                case "approvals" -> readApprovals(value, b);
                case "admin" -> readAdmin(value, b);
                case "arguments" -> readArguments(value, b);
                case "state" -> readState(value, b);
                case "credentials" -> readCredentials(value, b);
                default -> throw new IllegalStateException(key);
            }
        });
    }

    /**
     * {@code credentials} (SPEC §18): each entry names where its secret is (never the secret), the header it goes into
     * with {@code {secret}} in its value, and the hosts and tools it is released for; all four are required.
     */
    private void readCredentials(LocatedNode node, ConfigBuilder b) {
        if (!(node instanceof LocatedMap map)) {
            problem(node, "credentials must be a map of named entries");
            return;
        }
        for (LocatedMap.Entry e : map.entries()) {
            String name = e.key();
            String prefix = "credentials." + name + ".";
            SecretSource[] secret = new SecretSource[1];
            String[] header = new String[2];
            List<String> hosts = new ArrayList<>();
            List<String> tools = new ArrayList<>();
            boolean[] seen = new boolean[4];
            forEachKey(e.value(), prefix, Set.of("from_env", "from_file", "http_header", "hosts", "tools"), (key, value) -> {
                switch (key) {
                    case "from_env", "from_file" -> scalar(value, prefix + key).ifPresent(s -> {
                        if (secret[0] != null) {
                            problem(value, prefix + "from_env and " + prefix + "from_file name one secret: give one of them");
                        } else {
                            secret[0] = key.equals("from_env") ? new SecretSource(s, null)
                                    : new SecretSource(null, dir.resolve(s).normalize());
                        }
                    });
                    case "http_header" -> {
                        seen[1] = true;
                        forEachKey(value, prefix + "http_header.", Set.of("name", "value"), (hk, hv) ->
                                scalar(hv, prefix + "http_header." + hk).ifPresent(s -> header[hk.equals("name") ? 0 : 1] = s));
                        if (header[1] != null && !header[1].contains("{secret}")) {
                            problem(value, prefix + "http_header.value must contain {secret}, which stands for the secret");
                        }
                    }
                    case "hosts" -> {
                        seen[2] = true;
                        hosts.addAll(stringList(value, prefix + "hosts"));
                    }
                    case "tools" -> {
                        seen[3] = true;
                        tools.addAll(stringList(value, prefix + "tools"));
                    }
                    default -> throw new IllegalStateException(key);
                }
            });
            if (secret[0] == null) {
                problem(e.value(), prefix + "from_env or " + prefix + "from_file is required");
            } else if (header[0] == null || header[1] == null) {
                problem(e.value(), prefix + "http_header with name and value is required");
            } else if (hosts.isEmpty() || tools.isEmpty()) {
                problem(e.value(), prefix + "hosts and " + prefix + "tools must each name at least one");
            } else {
                b.credentials.add(new CredentialSpec(name, secret[0], header[0], header[1], hosts, tools));
            }
        }
    }

    /** {@code approvals}: the webhook, and where the secret that signs its bodies is read from (never the secret). */
    private void readApprovals(LocatedNode node, ConfigBuilder b) {
        forEachKey(node, "approvals.", Set.of("webhook", "webhook_secret_env", "webhook_secret_file"), (key, value) -> {
            switch (key) {
                case "webhook" -> scalar(value, "approvals.webhook").flatMap(s -> uri(value, s)).ifPresent(u -> b.approvalsWebhook = u);
                case "webhook_secret_env", "webhook_secret_file" -> scalar(value, "approvals." + key).ifPresent(s -> {
                    if (b.approvalsWebhookSecret != null) {
                        problem(value, "approvals.webhook_secret_env and approvals.webhook_secret_file name one secret: give one of them");
                    } else {
                        b.approvalsWebhookSecret = key.endsWith("_env") ? new SecretSource(s, null)
                                : new SecretSource(null, dir.resolve(s).normalize());
                    }
                });
                default -> throw new IllegalStateException(key);
            }
        });
        if (b.approvalsWebhookSecret != null && b.approvalsWebhook == null) {
            problem(node, "approvals.webhook_secret_* signs the webhook's bodies, but approvals.webhook is not set");
        }
    }

    private void readPolicy(LocatedNode node, ConfigBuilder b) {
        forEachKey(node, "policy.", Set.of("sources", "reload", "first_load_wait", "last_good", "max_bytes", "signing",
                "http"), (key, value) -> {
            switch (key) {
                case "sources" -> b.policySources = stringList(value, "policy.sources").stream()
                        .map(this::resolveSource).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                case "reload" -> duration(value, "policy.reload").ifPresent(d -> b.reload = d);
                case "first_load_wait" -> duration(value, "policy.first_load_wait").ifPresent(d -> b.firstLoadWait = d);
                case "max_bytes" -> wholeNumber(value, "policy.max_bytes", 1).ifPresent(n -> b.policyMaxBytes = n);
                case "last_good" -> scalar(value, "policy.last_good").ifPresent(s -> {
                    b.lastGoodSet = true;
                    b.lastGood = s.isEmpty() ? null : dir.resolve(s).normalize();
                });
                case "signing" -> readSigning(value, b);
                case "http" -> readHttp(value, b);
                default -> throw new IllegalStateException(key);
            }
        });
    }

    /** {@code policy.signing} (SPEC §15): key files resolve against the config file's directory, like sources. */
    private void readSigning(LocatedNode node, ConfigBuilder b) {
        forEachKey(node, "policy.signing.", Set.of("public_keys", "required"), (key, value) -> {
            switch (key) {
                case "public_keys" -> b.signingKeys = stringList(value, "policy.signing.public_keys").stream()
                        .map(k -> dir.resolve(k).normalize()).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                case "required" -> bool(value, "policy.signing.required").ifPresent(v -> b.signingRequired = v);
                default -> throw new IllegalStateException(key);
            }
        });
    }

    /** {@code policy.http} (SPEC §15). */
    private void readHttp(LocatedNode node, ConfigBuilder b) {
        forEachKey(node, "policy.http.", Set.of("timeout", "ca_file"), (key, value) -> {
            switch (key) {
                case "timeout" -> positiveDuration(value, "policy.http.timeout")
                        .ifPresent(d -> b.policyHttp = new PolicyHttp(d, b.policyHttp.caFile()));
                case "ca_file" -> {
                    if (!isNull(value)) {
                        scalar(value, "policy.http.ca_file").ifPresent(s -> b.policyHttp = new PolicyHttp(
                                b.policyHttp.timeout(), s.isEmpty() ? null : dir.resolve(s).normalize()));
                    }
                }
                default -> throw new IllegalStateException(key);
            }
        });
    }

    /** {@code arguments}: how far one call's arguments are converted before the call is denied (SPEC §13.9). */
    private void readArguments(LocatedNode node, ConfigBuilder b) {
        ValueBounds d = b.argumentBounds;
        int[] bounds = {d.maxDepth(), d.maxItems(), d.maxString()};
        forEachKey(node, "arguments.", Set.of("max_depth", "max_items", "max_string"), (key, value) -> {
            switch (key) {
                case "max_depth" -> wholeNumber(value, "arguments.max_depth", 1).ifPresent(n -> bounds[0] = n);
                case "max_items" -> wholeNumber(value, "arguments.max_items", 1).ifPresent(n -> bounds[1] = n);
                case "max_string" -> wholeNumber(value, "arguments.max_string", 1).ifPresent(n -> bounds[2] = n);
                default -> throw new IllegalStateException(key);
            }
        });
        b.argumentBounds = new ValueBounds(bounds[0], bounds[1], bounds[2]);
    }

    private void requireBeside(LocatedNode value, List<String> sets, String set, String needed, String why) {
        if (sets.contains(set) && !sets.contains(needed)) {
            problem(value, "instrumentation.builtin has " + set + " without " + needed + ": " + why
                    + ", so without it they would run undecided; add " + needed);
        }
    }

    private void readInstrumentation(LocatedNode node, ConfigBuilder b) {
        forEachKey(node, "instrumentation.", INSTRUMENTATION_KEYS, (key, value) -> {
            switch (key) {
                case "builtin" -> {
                    List<String> sets = stringList(value, "instrumentation.builtin");
                    for (String s : sets) {
                        if (!AgentConfig.ALL_BUILTIN_RULE_SETS.contains(s)) {
                            problem(value, "unknown built-in rule set '" + s + "' in instrumentation.builtin (expected any of "
                                    + String.join(", ", AgentConfig.ALL_BUILTIN_RULE_SETS) + ")");
                        }
                    }
                    // a rule set that leaves some calls to another one would let them run undecided without it
                    requireBeside(value, sets, "quarkus-langchain4j", "langchain4j", "the @Tool methods of Quarkus AI"
                            + " services are decided by the langchain4j rule set");
                    requireBeside(value, sets, "embabel", "spring-ai", "Spring AI tools given to Embabel agents are"
                            + " decided by the spring-ai rule set");
                    b.builtinRuleSets = sets;
                }
                case "rules" -> b.rulesFiles = stringList(value, "instrumentation.rules").stream()
                        .map(s -> dir.resolve(s).normalize()).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                case "filter_discovery" -> bool(value, "instrumentation.filter_discovery").ifPresent(v -> b.filterDiscovery = v);
                case "require_matches" -> bool(value, "instrumentation.require_matches")
                        .ifPresent(v -> b.rulesMatching = new RulesMatching(v, b.rulesMatching.grace()));
                case "match_grace" -> duration(value, "instrumentation.match_grace")
                        .ifPresent(d -> b.rulesMatching = new RulesMatching(b.rulesMatching.required(), d));
                default -> throw new IllegalStateException(key);
            }
        });
    }

    private void readContext(LocatedNode node, ConfigBuilder b) {
        if (!(node instanceof LocatedList seq)) {
            problem(node, "context must be a list of sources, e.g. - mdc: {user.id: userId}");
            return;
        }
        List<ContextSourceSpec> sources = new ArrayList<>();
        for (LocatedNode item : seq.items()) {
            if (!(item instanceof LocatedMap m) || m.entryList().size() != 1) {
                problem(item, "each context entry is one source name with its mapping, e.g. - mdc: {user.id: userId}");
                continue;
            }
            LocatedMap.Entry t = m.entryList().get(0);
            String name = t.key();
            Map<String, String> mapping = new LinkedHashMap<>();
            LocatedNode value = t.value();
            if (isNull(value)) {
                // "- spring-security:" with nothing after it: an empty mapping
            } else if (value instanceof LocatedMap map) {
                for (LocatedMap.Entry e : map.entryList()) {
                    // a repeated path is a duplicate key, reported by the reader
                    scalar(e.value(), "context." + name + " name").ifPresent(from -> mapping.put(e.key(), from));
                }
            } else {
                problem(value, "context." + name + " must be a mapping {context.path: name}");
                continue;
            }
            sources.add(new ContextSourceSpec(name, mapping, where(t.keyPosition())));
        }
        b.context = sources;
    }

    private void readAudit(LocatedNode node, ConfigBuilder b) {
        forEachKey(node, "audit.", Set.of("file", "fsync", "layout", "redact", "redact_values", "max_value_chars", "checkpoint"), (key, value) -> {
            switch (key) {
                case "file" -> scalar(value, "audit.file").ifPresent(s ->
                        b.auditFile = s.equals(AgentConfig.AUDIT_TO_STDERR) ? s : dir.resolve(s).normalize().toString());
                case "fsync" -> enumValue(value, "audit.fsync", FsyncPolicy.class).ifPresent(v -> b.fsync = v);
                case "checkpoint" -> duration(value, "audit.checkpoint").ifPresent(d -> b.auditCheckpoint = d);
                case "layout" -> enumValue(value, "audit.layout", dev.toolguard.policy.audit.AuditLayout.class)
                        .ifPresent(v -> b.auditLayout = v);
                case "redact" -> b.redact = stringList(value, "audit.redact");
                case "redact_values" -> b.redactValues = redactValues(value);
                case "max_value_chars" -> scalar(value, "audit.max_value_chars").ifPresent(s -> {
                    try {
                        int n = Integer.parseInt(s);
                        if (n < 1) {
                            throw new NumberFormatException();
                        }
                        b.maxValueChars = n;
                    } catch (NumberFormatException e) {
                        problem(value, "audit.max_value_chars must be a positive whole number, not '" + s + "'");
                    }
                });
                default -> throw new IllegalStateException(key);
            }
        });
    }

    /** {@code audit.redact_values}: each pattern is checked here, so a bad one is an error naming its line. */
    private List<String> redactValues(LocatedNode node) {
        List<String> patterns = new ArrayList<>();
        if (!(node instanceof LocatedList seq)) {
            if (!isNull(node)) {
                problem(node, "audit.redact_values must be a list of regular expressions (RE2 syntax)");
            }
            return patterns;
        }
        for (LocatedNode item : seq.items()) {
            scalar(item, "each entry of audit.redact_values").ifPresent(p -> {
                String why = dev.toolguard.policy.values.Redaction.patternProblem(p);
                if (why != null) {
                    problem(item, "audit.redact_values entry '" + p + "' is not a usable RE2 pattern: " + why);
                } else {
                    patterns.add(p);
                }
            });
        }
        return patterns;
    }

    /** {@code state.*} (SPEC §14). A Redis URL that cannot work is a problem here, not a surprise at the first call. */
    private void readState(LocatedNode node, ConfigBuilder b) {
        StateSpec d = b.state;
        StateSpec.Store[] store = {d.store()};
        StateSpec.OnUnavailable[] onUnavailable = {d.onUnavailable()};
        String[] url = {d.redisUrl()};
        String[] passwordEnv = {d.passwordEnv()};
        String[] prefix = {d.prefix()};
        Duration[] timeout = {d.timeout()};
        forEachKey(node, "state.", Set.of("store", "redis", "on_unavailable", "session_ttl", "max_sessions"), (key, value) -> {
            switch (key) {
                case "session_ttl" -> positiveDuration(value, "state.session_ttl").ifPresent(ttl -> b.sessionTtl = ttl);
                case "max_sessions" -> wholeNumber(value, "state.max_sessions", 1).ifPresent(n -> b.maxSessions = n);
                case "store" -> enumValue(value, "state.store", StateSpec.Store.class).ifPresent(v -> store[0] = v);
                case "on_unavailable" -> enumValue(value, "state.on_unavailable", StateSpec.OnUnavailable.class)
                        .ifPresent(v -> onUnavailable[0] = v);
                case "redis" -> forEachKey(value, "state.redis.", Set.of("url", "password_env", "prefix", "timeout"),
                        (k, v) -> {
                            switch (k) {
                                case "url" -> scalar(v, "state.redis.url").ifPresent(s -> {
                                    String why = dev.toolguard.policy.state.redis.RedisSettings.urlProblem(s);
                                    if (why != null) {
                                        problem(v, "state.redis.url: " + why);
                                    } else {
                                        url[0] = s;
                                    }
                                });
                                case "password_env" -> scalar(v, "state.redis.password_env").ifPresent(s -> passwordEnv[0] = s);
                                case "prefix" -> scalar(v, "state.redis.prefix").ifPresent(s -> prefix[0] = s);
                                case "timeout" -> positiveDuration(v, "state.redis.timeout").ifPresent(t -> timeout[0] = t);
                                default -> throw new IllegalStateException(k);
                            }
                        });
                default -> throw new IllegalStateException(key);
            }
        });
        b.state = new StateSpec(store[0], url[0], passwordEnv[0], prefix[0], timeout[0], onUnavailable[0]);
    }

    private void readAdmin(LocatedNode node, ConfigBuilder b) {
        AdminLimits d = b.adminLimits;
        Duration[] header = {d.headerTimeout()};
        Duration[] read = {d.readTimeout()};
        int[] connections = {d.maxConnections()};
        int[] body = {d.maxBodyBytes()};
        forEachKey(node, "admin.", Set.of("listen", "token_env", "users", "header_timeout", "read_timeout",
                "max_connections", "max_body_bytes"), (key, value) -> {
            switch (key) {
                case "listen" -> scalar(value, "admin.listen").ifPresent(s -> b.adminListen = s);
                case "token_env" -> scalar(value, "admin.token_env").ifPresent(s -> b.adminTokenEnv = s);
                case "users" -> b.adminUsers = adminUsers(value);
                case "header_timeout" -> positiveDuration(value, "admin.header_timeout").ifPresent(v -> header[0] = v);
                case "read_timeout" -> positiveDuration(value, "admin.read_timeout").ifPresent(v -> read[0] = v);
                case "max_connections" -> wholeNumber(value, "admin.max_connections", 1).ifPresent(v -> connections[0] = v);
                case "max_body_bytes" -> wholeNumber(value, "admin.max_body_bytes", 0).ifPresent(v -> body[0] = v);
                default -> throw new IllegalStateException(key);
            }
        });
        b.adminLimits = new AdminLimits(header[0], read[0], connections[0], body[0], d.maxHeaderBytes());
    }

    /** {@code admin.users}: a list of {name, token_env, role}, names unique, roles known. */
    private List<AdminUserSpec> adminUsers(LocatedNode node) {
        List<AdminUserSpec> users = new ArrayList<>();
        if (!(node instanceof LocatedList seq)) {
            problem(node, "admin.users must be a list, e.g. - {name: alice, token_env: TG_ALICE, role: approver}");
            return users;
        }
        Set<String> names = new HashSet<>();
        for (LocatedNode item : seq.items()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, LocatedNode> at = new LinkedHashMap<>();
            forEachKey(item, "admin.users[].", Set.of("name", "token_env", "token_file", "role"), (key, value) -> {
                at.put(key, value);
                scalar(value, "admin.users[]." + key).ifPresent(v -> fields.put(key, v));
            });
            if (!(item instanceof LocatedMap)) {
                continue;
            }
            List<String> missing = new ArrayList<>(java.util.stream.Stream.of("name", "role")
                    .filter(k -> !at.containsKey(k)).toList());
            if (!at.containsKey("token_env") && !at.containsKey("token_file")) {
                missing.add(missing.isEmpty() ? 0 : 1, "token_env (or token_file)");
            }
            if (!missing.isEmpty()) {
                problem(item, "admin.users entry lacks " + String.join(", ", missing)
                        + " (each user is {name, token_env, role}, or {name, token_file, role})");
                continue;
            }
            if (at.containsKey("token_env") && at.containsKey("token_file")) {
                problem(at.get("token_file"), "admin.users entry has both token_env and token_file: give one of them");
                continue;
            }
            if (fields.size() < 3) {
                continue; // a value that is not a single one was reported already
            }
            String name = fields.get("name");
            Optional<AdminRole> role = AdminRole.named(fields.get("role"));
            if (!name.matches("[A-Za-z0-9._@-]+")) {
                problem(at.get("name"), "admin.users name '" + name + "' may hold only letters, digits, '.', '_', '@' and '-'");
            } else if (!names.add(name)) {
                problem(at.get("name"), "duplicate admin user '" + name + "' in admin.users");
            } else if (role.isEmpty()) {
                problem(at.get("role"), "admin.users role must be viewer, approver or admin, not '" + fields.get("role") + "'");
            } else {
                String file = fields.get("token_file");
                users.add(new AdminUserSpec(name, fields.get("token_env"), file == null ? null : dir.resolve(file).normalize(),
                        role.get(), where(item)));
            }
        }
        return users;
    }

    private Optional<Duration> positiveDuration(LocatedNode node, String what) {
        return duration(node, what).flatMap(d -> {
            if (d.isZero()) {
                problem(node, what + " must be more than 0");
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    private Optional<Integer> wholeNumber(LocatedNode node, String what, int least) {
        return scalar(node, what).flatMap(s -> {
            try {
                int n = Integer.parseInt(s);
                if (n >= least) {
                    return Optional.of(n);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(node, what + " must be a whole number of at least " + least + ", not '" + s + "'");
            return Optional.empty();
        });
    }

    /** Calls {@code each} for every known key of a mapping; unknown and duplicate keys become problems. */
    private void forEachKey(LocatedNode node, String prefix, Set<String> known, BiConsumer<String, LocatedNode> each) {
        if (!(node instanceof LocatedMap map)) {
            if (!isNull(node)) {
                problem(node, (prefix.isEmpty() ? "the config" : prefix.substring(0, prefix.length() - 1)) + " must be a mapping");
            }
            return;
        }
        // a duplicate key was reported by the reader, which keeps the first
        for (LocatedMap.Entry t : map.entryList()) {
            String key = t.key();
            if (!known.contains(key)) {
                problem(t.keyPosition(), "unknown key '" + prefix + key + "' (expected one of: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            } else {
                try {
                    each.accept(key, t.value());
                } catch (InvalidPathException e) {
                    // a path no file system can name (a NUL byte, say) is a bad value like any other
                    problem(t.value(), prefix + key + " is not a valid path: " + e.getReason());
                }
            }
        }
    }

    /** The reader's own word for a file with no document: for a config that is no problem, only nothing set. */
    private static boolean isEmptyDocument(LocatedReader.ReadResult read) {
        return read.problems().size() == 1 && read.problems().get(0).message().equals(LocatedReader.EMPTY_DOCUMENT);
    }

    private String resolveSource(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return source;
        }
        return dir.resolve(source).normalize().toString();
    }

    private Optional<String> scalar(LocatedNode node, String what) {
        if (node instanceof LocatedScalar s && !isNull(s)) {
            return Optional.of(s.text());
        }
        problem(node, what + " must be a single value");
        return Optional.empty();
    }

    private List<String> stringList(LocatedNode node, String what) {
        List<String> out = new ArrayList<>();
        if (node instanceof LocatedList seq) {
            for (LocatedNode item : seq.items()) {
                scalar(item, "each entry of " + what).ifPresent(out::add);
            }
        } else if (node instanceof LocatedScalar s && !isNull(s)) {
            out.add(s.text());
        } else {
            problem(node, what + " must be a list");
        }
        return out;
    }

    private <E extends Enum<E>> Optional<E> enumValue(LocatedNode node, String what, Class<E> type) {
        return scalar(node, what).flatMap(s -> {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(s)) {
                    return Optional.of(e);
                }
            }
            List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                    .map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
            problem(node, what + " must be one of " + String.join(", ", names) + ", not '" + s + "'");
            return Optional.empty();
        });
    }

    private Optional<Duration> duration(LocatedNode node, String what) {
        return scalar(node, what).flatMap(s -> {
            Optional<Duration> d = Durations.parse(s);
            if (d.isEmpty()) {
                problem(node, what + " must be a duration like 500ms, 2s, 5m, 1h or 1d, not '" + s + "'");
            }
            return d;
        });
    }

    private Optional<Boolean> bool(LocatedNode node, String what) {
        return scalar(node, what).flatMap(s -> switch (s) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                problem(node, what + " must be true or false, not '" + s + "'");
                yield Optional.empty();
            }
        });
    }

    private Optional<URI> uri(LocatedNode node, String text) {
        try {
            URI u = new URI(text);
            if (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                return Optional.of(u);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // the text is not quoted: a chat webhook's URL holds its secret
        problem(node, "approvals.webhook must be an http(s) URL (its text is not shown: it may hold a secret)");
        return Optional.empty();
    }

    /** A scalar with no value ({@code null}, {@code ~} or nothing), not the quoted text "null". */
    private static boolean isNull(LocatedNode node) {
        return node instanceof LocatedScalar s && s.value() == null;
    }

    private String where(LocatedNode node) {
        return where(node.position());
    }

    private String where(SourcePosition at) {
        return shownName + ":" + at.line() + ":" + at.column();
    }

    private void problem(LocatedNode node, String message) {
        problem(node.position(), message);
    }

    private void problem(SourcePosition at, String message) {
        problems.add(new ConfigProblem(where(at), message));
    }
}
