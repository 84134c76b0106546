package dev.toolguard.policy.egress;

import dev.toolguard.policy.load.ToolPattern;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedScalar;
import dev.toolguard.policy.values.Problems;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code egress} of a tool and the bundle's top-level {@code egress} (SPEC §18), reporting every problem
 * with its place. Values are normalised the way the sensors report theirs: statement kinds, hosts, tables and
 * addresses lower case, methods upper case.
 */
public final class EgressReader {

    /** The statement kinds the SQL sensor reports; a constraint naming another is a load error (a typo allows nothing). */
    public static final Set<String> STATEMENT_KINDS = Set.of("select", "insert", "update", "delete", "merge", "upsert",
            "create", "alter", "drop", "truncate", "grant", "revoke", "call", "execute", "set", "use", "show",
            "explain", "commit", "rollback", "comment", "other");

    private EgressReader() {
    }

    /** A tool's {@code egress} map; null (reported) when it is wrong. */
    public static ToolEgress tool(String tool, LocatedNode node, Problems problems) {
        LocatedMap map = node.asMap("'egress' of tool '" + tool + "'", problems);
        if (map == null) {
            return null;
        }
        int before = problems.size();
        map.allowOnly(problems, "sql", "http", "mail", "exec");
        Map<EgressKind, EgressRule> rules = new EnumMap<>(EgressKind.class);
        for (LocatedMap.Entry e : map.entries()) {
            EgressKind kind = EgressKind.of(e.key());
            if (kind != null) {
                EgressRule rule = rule(kind, e.value(), problems);
                if (rule != null) {
                    rules.put(kind, rule);
                }
            }
        }
        return problems.size() > before ? null : new ToolEgress(tool, rules);
    }

    /** The top-level {@code egress} of one file. */
    public static EgressDefaults defaults(LocatedNode node, Problems problems) {
        LocatedMap map = node.asMap("'egress'", problems);
        if (map == null) {
            return null;
        }
        map.allowOnly(problems, "default_in_tools", "outside_tools");
        EgressDefaults.Outside inTools = choice(map, "default_in_tools", problems, false);
        EgressDefaults.Outside outside = choice(map, "outside_tools", problems, true);
        return new EgressDefaults(inTools, outside);
    }

    private static EgressDefaults.Outside choice(LocatedMap map, String key, Problems problems, boolean audit) {
        String text = map.string(key, problems);
        if (text == null) {
            return null;
        }
        EgressDefaults.Outside o = EgressDefaults.Outside.of(text);
        if (o == null || (!audit && o == EgressDefaults.Outside.AUDIT)) {
            problems.add(map.get(key).position(), "unknown " + key + " '" + text + "' (expected allow"
                    + (audit ? ", audit" : "") + " or deny)");
            return null;
        }
        return o;
    }

    private static EgressRule rule(EgressKind kind, LocatedNode node, Problems problems) {
        if (node instanceof LocatedScalar s && s.value() instanceof String word) {
            if (word.equals("allow")) {
                return EgressRule.allow(kind);
            }
            if (word.equals("deny")) {
                return EgressRule.deny(kind);
            }
            problems.add(s.position(), "'" + kind.key() + "' must be allow, deny or a map of constraints, not '"
                    + word + "'");
            return null;
        }
        LocatedMap map = node.asMap("'" + kind.key() + "'", problems);
        if (map == null) {
            return null;
        }
        return switch (kind) {
            case SQL -> {
                map.allowOnly(problems, "statements", "tables");
                Set<String> statements = words(map, "statements", problems, false);
                if (statements != null) {
                    for (String s : statements) {
                        if (!STATEMENT_KINDS.contains(s)) {
                            problems.add(map.get("statements").position(), "unknown statement kind '" + s
                                    + "' (expected one of " + STATEMENT_KINDS.stream().sorted().toList() + ")");
                        }
                    }
                }
                yield new EgressRule(kind, EgressRule.Mode.CONSTRAINED, statements, globs(map, "tables", problems),
                        null, null, null, null);
            }
            case HTTP -> {
                map.allowOnly(problems, "hosts", "methods");
                List<String> hosts = map.strings("hosts", problems);
                List<EgressRule.Host> parsed = null;
                if (hosts != null) {
                    parsed = new ArrayList<>();
                    for (String h : hosts) {
                        parsed.add(EgressRule.Host.parse(h));
                    }
                    parsed = List.copyOf(parsed);
                }
                yield new EgressRule(kind, EgressRule.Mode.CONSTRAINED, null, null, parsed,
                        words(map, "methods", problems, true), null, null);
            }
            case MAIL -> {
                map.allowOnly(problems, "recipients");
                yield new EgressRule(kind, EgressRule.Mode.CONSTRAINED, null, null, null, null,
                        globs(map, "recipients", problems), null);
            }
            case EXEC -> {
                map.allowOnly(problems, "commands");
                // programs are matched as written: a path is not lower-cased
                List<String> commands = map.strings("commands", problems);
                yield new EgressRule(kind, EgressRule.Mode.CONSTRAINED, null, null, null, null, null,
                        commands == null ? null : commands.stream().map(ToolPattern::of).toList());
            }
        };
    }

    private static Set<String> words(LocatedMap map, String key, Problems problems, boolean upper) {
        List<String> list = map.strings(key, problems);
        if (list == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String w : list) {
            out.add(upper ? w.toUpperCase(Locale.ROOT) : w.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(out);
    }

    private static List<ToolPattern> globs(LocatedMap map, String key, Problems problems) {
        List<String> list = map.strings(key, problems);
        return list == null ? null : list.stream().map(g -> ToolPattern.of(g.toLowerCase(Locale.ROOT))).toList();
    }

    /**
     * Why a sequence entry naming an egress event ({@code egress:sql:crm.*}, {@code egress:http:POST:*},
     * {@code egress:mail:*}, {@code egress:exec:*}) is malformed, or null.
     */
    public static String eventProblem(String pattern) {
        String rest = pattern.substring("egress:".length());
        if (rest.equals("*")) {
            return null;
        }
        int colon = rest.indexOf(':');
        EgressKind kind = EgressKind.of(colon < 0 ? rest : rest.substring(0, colon));
        if (kind == null || colon < 0) {
            return "'" + pattern + "' is no egress event: write egress:<kind>:<glob> with kind sql, http, mail or exec"
                    + " (egress:http:<METHOD>:<host glob>)";
        }
        if (kind == EgressKind.HTTP && rest.indexOf(':', colon + 1) < 0 && !rest.endsWith("*")) {
            return "'" + pattern + "' names no method: write egress:http:<METHOD>:<host glob>, e.g. egress:http:POST:*";
        }
        return null;
    }

    /**
     * The events an egress is for {@code sequences}: {@code egress:sql:<table>} per table,
     * {@code egress:http:<METHOD>:<host>}, {@code egress:mail:<recipient>} per recipient, {@code egress:exec:<program>}.
     */
    public static List<String> events(EgressRequest request) {
        String prefix = "egress:" + request.kind().key() + ":";
        if (request.kind() == EgressKind.HTTP) {
            return List.of(prefix + request.actions().get(0) + ":" + request.targets().get(0));
        }
        if (request.targets().isEmpty()) {
            return List.of(prefix);
        }
        List<String> out = new ArrayList<>(request.targets().size());
        for (String t : request.targets()) {
            out.add(prefix + t);
        }
        return out;
    }
}
