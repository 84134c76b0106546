package dev.toolguard.agent.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
            "audit", "approvals", "admin");

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
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(r);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            problems.add(m == null ? new ConfigProblem(shownName, "not valid YAML: " + e.getProblem())
                    : ConfigProblem.at(shownName, m.getLine() + 1, m.getColumn() + 1, "not valid YAML: " + e.getProblem()));
            return;
        } catch (IOException | RuntimeException e) {
            problems.add(new ConfigProblem(shownName, "cannot read the config file: " + e.getMessage()));
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
                case "admin" -> forEachKey(value, "admin.", Set.of("listen", "token_env"), (k, v) -> {
                    if (k.equals("listen")) {
                        scalar(v, "admin.listen").ifPresent(s -> b.adminListen = s);
                    } else {
                        scalar(v, "admin.token_env").ifPresent(s -> b.adminTokenEnv = s);
                    }
                });
                default -> throw new IllegalStateException(key);
            }
        });
    }

    private void readPolicy(Node node, ConfigBuilder b) {
        forEachKey(node, "policy.", Set.of("sources", "reload", "last_good"), (key, value) -> {
            switch (key) {
                case "sources" -> b.policySources = stringList(value, "policy.sources").stream()
                        .map(this::resolveSource).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                case "reload" -> duration(value, "policy.reload").ifPresent(d -> b.reload = d);
                case "last_good" -> scalar(value, "policy.last_good").ifPresent(s -> {
                    b.lastGoodSet = true;
                    b.lastGood = s.isEmpty() ? null : dir.resolve(s).normalize();
                });
                default -> throw new IllegalStateException(key);
            }
        });
    }

    private void readInstrumentation(Node node, ConfigBuilder b) {
        forEachKey(node, "instrumentation.", Set.of("builtin", "rules", "filter_discovery"), (key, value) -> {
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
        forEachKey(node, "audit.", Set.of("file", "fsync", "redact", "max_value_chars"), (key, value) -> {
            switch (key) {
                case "file" -> scalar(value, "audit.file").ifPresent(s ->
                        b.auditFile = s.equals(AgentConfig.AUDIT_TO_STDERR) ? s : dir.resolve(s).normalize().toString());
                case "fsync" -> enumValue(value, "audit.fsync", FsyncPolicy.class).ifPresent(v -> b.fsync = v);
                case "redact" -> b.redact = stringList(value, "audit.redact");
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
                each.accept(key.get(), t.getValueNode());
            }
        }
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
