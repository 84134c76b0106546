package dev.toolguard.agent.config;

import dev.toolguard.agent.admin.AdminLimits;
import dev.toolguard.agent.admin.AdminRole;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.reader.ReaderException;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * Reads {@code toolguard.yaml} (SPEC §2) into a {@link ConfigBuilder}. Every problem names the key and
 * {@code file:line:col}; unknown keys are problems, never ignored. Relative paths in the file resolve against
 * the file's own directory, so the same file works whatever the application's working directory.
 */
final class ConfigFileReader {

    private static final Set<String> TOP_KEYS = Set.of("policy", "mode", "on_error", "instrumentation", "context",
            "audit", "approvals", "admin", "arguments");

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
        Optional<String> text = readText();
        if (text.isEmpty()) {
            return;
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text.get()));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(m == null ? ConfigProblem.at(shownName, 1, 1, "not valid YAML: " + e.getProblem())
                    : ConfigProblem.at(shownName, m.getLine() + 1, m.getColumn() + 1, "not valid YAML: " + e.getProblem()));
            return;
        } catch (ReaderException e) {
            // a character YAML forbids: snakeyaml gives its index in code points instead of a mark
            int[] at = lineAndColumn(text.get(), e.getPosition());
            problems.add(ConfigProblem.at(shownName, at[0], at[1], "not valid YAML: the character "
                    + String.format("U+%04X", e.getCodePoint()) + " is not allowed"));
            return;
        } catch (YAMLException e) {
            // snakeyaml's limits (aliases, nesting) carry no position: the start of the file stands for it
            problems.add(ConfigProblem.at(shownName, 1, 1, "not valid YAML: " + e.getMessage()));
            return;
        } catch (RuntimeException e) {
            problems.add(new ConfigProblem(shownName, "cannot read the config file: " + e));
            return;
        }
        b.configFile = file.toAbsolutePath();
        if (root == null) {
            return;
        }
        forEachKey(root, "", TOP_KEYS, (key, value) -> {
            switch (key) {
                case "policy" -> readPolicy(value, b);
                case "mode" -> enumValue(value, "mode", EnforcementMode.class).ifPresent(v -> b.mode = v);
                case "on_error" -> enumValue(value, "on_error", OnError.class).ifPresent(v -> b.onError = v);
                case "instrumentation" -> readInstrumentation(value, b);
                case "context" -> readContext(value, b);
                case "audit" -> readAudit(value, b);
                case "approvals" -> forEachKey(value, "approvals.", Set.of("webhook"),
                        (k, v) -> scalar(v, "approvals.webhook").flatMap(s -> uri(v, s)).ifPresent(u -> b.approvalsWebhook = u));
                case "admin" -> readAdmin(value, b);
                case "arguments" -> readArguments(value, b);
                default -> throw new IllegalStateException(key);
            }
        });
    }

    private void readPolicy(Node node, ConfigBuilder b) {
        forEachKey(node, "policy.", Set.of("sources", "reload", "last_good", "max_bytes"), (key, value) -> {
            switch (key) {
                case "sources" -> b.policySources = stringList(value, "policy.sources").stream()
                        .map(this::resolveSource).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                case "reload" -> duration(value, "policy.reload").ifPresent(d -> b.reload = d);
                case "max_bytes" -> wholeNumber(value, "policy.max_bytes", 1).ifPresent(n -> b.policyMaxBytes = n);
                case "last_good" -> scalar(value, "policy.last_good").ifPresent(s -> {
                    b.lastGoodSet = true;
                    b.lastGood = s.isEmpty() ? null : dir.resolve(s).normalize();
                });
                default -> throw new IllegalStateException(key);
            }
        });
    }

    /** {@code arguments}: how far one call's arguments are converted before the call is denied (SPEC §13.9). */
    private void readArguments(Node node, ConfigBuilder b) {
        ArgumentBounds d = b.argumentBounds;
        int[] bounds = {d.maxDepth(), d.maxItems(), d.maxString()};
        forEachKey(node, "arguments.", Set.of("max_depth", "max_items", "max_string"), (key, value) -> {
            switch (key) {
                case "max_depth" -> wholeNumber(value, "arguments.max_depth", 1).ifPresent(n -> bounds[0] = n);
                case "max_items" -> wholeNumber(value, "arguments.max_items", 1).ifPresent(n -> bounds[1] = n);
                case "max_string" -> wholeNumber(value, "arguments.max_string", 1).ifPresent(n -> bounds[2] = n);
                default -> throw new IllegalStateException(key);
            }
        });
        b.argumentBounds = new ArgumentBounds(bounds[0], bounds[1], bounds[2]);
    }

    private void readInstrumentation(Node node, ConfigBuilder b) {
        forEachKey(node, "instrumentation.", Set.of("builtin", "rules", "filter_discovery", "require_matches",
                "match_grace"), (key, value) -> {
            switch (key) {
                case "builtin" -> {
                    List<String> sets = stringList(value, "instrumentation.builtin");
                    for (String s : sets) {
                        if (!AgentConfig.ALL_BUILTIN_RULE_SETS.contains(s)) {
                            problem(value, "unknown built-in rule set '" + s + "' in instrumentation.builtin (expected any of "
                                    + String.join(", ", AgentConfig.ALL_BUILTIN_RULE_SETS) + ")");
                        }
                    }
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

    private void readContext(Node node, ConfigBuilder b) {
        if (!(node instanceof SequenceNode seq)) {
            problem(node, "context must be a list of sources, e.g. - mdc: {user.id: userId}");
            return;
        }
        List<ContextSourceSpec> sources = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m) || m.getValue().size() != 1) {
                problem(item, "each context entry is one source name with its mapping, e.g. - mdc: {user.id: userId}");
                continue;
            }
            NodeTuple t = m.getValue().get(0);
            Optional<String> name = scalar(t.getKeyNode(), "context source name");
            if (name.isEmpty()) {
                continue;
            }
            Map<String, String> mapping = new LinkedHashMap<>();
            Node value = t.getValueNode();
            if (value instanceof ScalarNode s && isNull(s)) {
                // "- spring-security:" with nothing after it: an empty mapping
            } else if (value instanceof MappingNode map) {
                for (NodeTuple e : map.getValue()) {
                    Optional<String> path = scalar(e.getKeyNode(), "context." + name.get() + " path");
                    Optional<String> from = scalar(e.getValueNode(), "context." + name.get() + " name");
                    if (path.isPresent() && from.isPresent()) {
                        if (mapping.put(path.get(), from.get()) != null) {
                            problem(e.getKeyNode(), "duplicate key '" + path.get() + "' in context." + name.get());
                        }
                    }
                }
            } else {
                problem(value, "context." + name.get() + " must be a mapping {context.path: name}");
                continue;
            }
            sources.add(new ContextSourceSpec(name.get(), mapping, where(t.getKeyNode())));
        }
        b.context = sources;
    }

    private void readAudit(Node node, ConfigBuilder b) {
        forEachKey(node, "audit.", Set.of("file", "fsync", "redact", "redact_values", "max_value_chars", "checkpoint"), (key, value) -> {
            switch (key) {
                case "file" -> scalar(value, "audit.file").ifPresent(s ->
                        b.auditFile = s.equals(AgentConfig.AUDIT_TO_STDERR) ? s : dir.resolve(s).normalize().toString());
                case "fsync" -> enumValue(value, "audit.fsync", FsyncPolicy.class).ifPresent(v -> b.fsync = v);
                case "checkpoint" -> duration(value, "audit.checkpoint").ifPresent(d -> b.auditCheckpoint = d);
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
    private List<String> redactValues(Node node) {
        List<String> patterns = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            if (!(node instanceof ScalarNode s && isNull(s))) {
                problem(node, "audit.redact_values must be a list of regular expressions (RE2 syntax)");
            }
            return patterns;
        }
        for (Node item : seq.getValue()) {
            scalar(item, "each entry of audit.redact_values").ifPresent(p -> {
                String why = dev.toolguard.policy.audit.Redaction.patternProblem(p);
                if (why != null) {
                    problem(item, "audit.redact_values entry '" + p + "' is not a usable RE2 pattern: " + why);
                } else {
                    patterns.add(p);
                }
            });
        }
        return patterns;
    }

    private void readAdmin(Node node, ConfigBuilder b) {
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
    private List<AdminUserSpec> adminUsers(Node node) {
        List<AdminUserSpec> users = new ArrayList<>();
        if (!(node instanceof SequenceNode seq)) {
            problem(node, "admin.users must be a list, e.g. - {name: alice, token_env: TG_ALICE, role: approver}");
            return users;
        }
        Set<String> names = new HashSet<>();
        for (Node item : seq.getValue()) {
            Map<String, String> fields = new LinkedHashMap<>();
            Map<String, Node> at = new LinkedHashMap<>();
            forEachKey(item, "admin.users[].", Set.of("name", "token_env", "role"), (key, value) -> {
                at.put(key, value);
                scalar(value, "admin.users[]." + key).ifPresent(v -> fields.put(key, v));
            });
            if (!(item instanceof MappingNode)) {
                continue;
            }
            List<String> missing = java.util.stream.Stream.of("name", "token_env", "role")
                    .filter(k -> !at.containsKey(k)).toList();
            if (!missing.isEmpty()) {
                problem(item, "admin.users entry lacks " + String.join(", ", missing)
                        + " (each user is {name, token_env, role})");
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
                users.add(new AdminUserSpec(name, fields.get("token_env"), role.get(), where(item)));
            }
        }
        return users;
    }

    private Optional<Duration> positiveDuration(Node node, String what) {
        return duration(node, what).flatMap(d -> {
            if (d.isZero()) {
                problem(node, what + " must be more than 0");
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    private Optional<Integer> wholeNumber(Node node, String what, int least) {
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
    private void forEachKey(Node node, String prefix, Set<String> known, BiConsumer<String, Node> each) {
        if (!(node instanceof MappingNode map)) {
            if (!(node instanceof ScalarNode s && isNull(s))) {
                problem(node, (prefix.isEmpty() ? "the config" : prefix.substring(0, prefix.length() - 1)) + " must be a mapping");
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple t : map.getValue()) {
            Optional<String> key = scalar(t.getKeyNode(), "key");
            if (key.isEmpty()) {
                continue;
            }
            if (!known.contains(key.get())) {
                problem(t.getKeyNode(), "unknown key '" + prefix + key.get() + "' (expected one of: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            } else if (!seen.add(key.get())) {
                problem(t.getKeyNode(), "duplicate key '" + prefix + key.get() + "'");
            } else {
                try {
                    each.accept(key.get(), t.getValueNode());
                } catch (InvalidPathException e) {
                    // a path no file system can name (a NUL byte, say) is a bad value like any other
                    problem(t.getValueNode(), prefix + key.get() + " is not a valid path: " + e.getReason());
                }
            }
        }
    }

    /** The file as UTF-8 text; bytes that are not UTF-8 are a problem placed at the first of them. */
    private Optional<String> readText() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            problems.add(new ConfigProblem(shownName, "cannot read the config file: " + e.getMessage()));
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult decoded = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        String text = out.flip().toString();
        if (decoded.isError()) {
            int[] at = lineAndColumn(text, text.codePointCount(0, text.length()));
            problems.add(ConfigProblem.at(shownName, at[0], at[1],
                    "the config file is not UTF-8 text (byte " + (in.position() + 1) + ")"));
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** 1-based line and column (in code points, as YAML marks count them) of the code point at {@code index}. */
    private static int[] lineAndColumn(String text, int index) {
        int line = 1;
        int column = 1;
        int offset = 0;
        for (int i = 0; i < index && offset < text.length(); i++) {
            int c = text.codePointAt(offset);
            offset += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private String resolveSource(String source) {
        String lower = source.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return source;
        }
        return dir.resolve(source).normalize().toString();
    }

    private Optional<String> scalar(Node node, String what) {
        if (node instanceof ScalarNode s && !isNull(s)) {
            return Optional.of(s.getValue());
        }
        problem(node, what + " must be a single value");
        return Optional.empty();
    }

    private List<String> stringList(Node node, String what) {
        List<String> out = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                scalar(item, "each entry of " + what).ifPresent(out::add);
            }
        } else if (node instanceof ScalarNode s && !isNull(s)) {
            out.add(s.getValue());
        } else {
            problem(node, what + " must be a list");
        }
        return out;
    }

    private <E extends Enum<E>> Optional<E> enumValue(Node node, String what, Class<E> type) {
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

    private Optional<Duration> duration(Node node, String what) {
        return scalar(node, what).flatMap(s -> {
            Optional<Duration> d = DurationText.parse(s);
            if (d.isEmpty()) {
                problem(node, what + " must be a duration like 500ms, 2s, 5m, 1h or 1d, not '" + s + "'");
            }
            return d;
        });
    }

    private Optional<Boolean> bool(Node node, String what) {
        return scalar(node, what).flatMap(s -> switch (s) {
            case "true" -> Optional.of(true);
            case "false" -> Optional.of(false);
            default -> {
                problem(node, what + " must be true or false, not '" + s + "'");
                yield Optional.empty();
            }
        });
    }

    private Optional<URI> uri(Node node, String text) {
        try {
            URI u = new URI(text);
            if (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https"))) {
                return Optional.of(u);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        problem(node, "approvals.webhook must be an http(s) URL, not '" + text + "'");
        return Optional.empty();
    }

    private static boolean isNull(ScalarNode s) {
        return s.getTag().getValue().endsWith(":null");
    }

    private String where(Node node) {
        Mark m = node.getStartMark();
        return shownName + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
    }

    private void problem(Node node, String message) {
        problems.add(new ConfigProblem(where(node), message));
    }
}
