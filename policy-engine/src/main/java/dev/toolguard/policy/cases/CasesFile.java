package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.values.LocatedList;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedReader;
import dev.toolguard.policy.values.LocatedScalar;
import dev.toolguard.policy.values.SourcePosition;
import dev.toolguard.policy.values.SourceProblem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed cases file (SPEC §11), read by the one located reader policies and the config use too
 * ({@link LocatedReader}). Parsing never throws for bad input: every problem comes back with its file, line and
 * column, and a file with problems yields no cases, so a typo never silently drops a case. Values are typed as
 * in policies (YAML 1.2's core schema: {@code yes} and {@code on} are text).
 *
 * @param file   the file as the user named it
 * @param cases  the cases in file order (empty when there are errors)
 * @param errors every problem found
 */
public record CasesFile(String file, List<GoldenCase> cases, List<LoadError> errors) {

    static final List<String> TOP_LEVEL_KEYS = List.of("cases");
    static final List<String> CASE_KEYS =
            List.of("name", "tool", "args", "ctx", "history", "expect", "rule", "reason_contains");

    public CasesFile {
        cases = List.copyOf(cases);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Reads and parses a cases file; an unreadable file is one error at line 1, column 1. */
    public static CasesFile read(Path path) {
        return of(path.toString(), LocatedReader.readFile(path, LocatedReader.MAX_FILE_BYTES, "cases file"));
    }

    /** Parses cases from text; {@code file} is only used to locate problems. */
    public static CasesFile parse(String file, String text) {
        return of(file, LocatedReader.readYaml(file, text));
    }

    private static CasesFile of(String file, LocatedReader.ReadResult read) {
        Parser parser = new Parser(file);
        for (SourceProblem p : read.problems()) {
            parser.errors.add(new LoadError(file, p.line(), p.column(),
                    p.message().equals(LocatedReader.EMPTY_DOCUMENT) ? "empty cases file (expected a 'cases' list)" : p.message()));
        }
        List<GoldenCase> cases = read.root() == null ? List.of() : parser.parseDocument(read.root());
        return new CasesFile(file, parser.errors.isEmpty() ? cases : List.of(), parser.errors);
    }

    /** Walks the located tree, so every problem can say where it is. */
    private static final class Parser {
        private final String file;
        private final List<LoadError> errors = new ArrayList<>();

        Parser(String file) {
            this.file = file;
        }

        List<GoldenCase> parseDocument(LocatedNode root) {
            if (!(root instanceof LocatedMap top)) {
                errors.add(at(root, "expected a mapping with a 'cases' list"));
                return List.of();
            }
            if (!knownKeys(top, TOP_LEVEL_KEYS)) {
                return List.of();
            }
            LocatedNode casesEntry = top.get("cases");
            if (casesEntry == null) {
                errors.add(at(top, "missing key 'cases'"));
                return List.of();
            }
            if (!(casesEntry instanceof LocatedList list)) {
                errors.add(at(casesEntry, "'cases' must be a list"));
                return List.of();
            }
            List<GoldenCase> cases = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (LocatedNode item : list.items()) {
                GoldenCase c = parseCase(item);
                if (c != null) {
                    if (!names.add(c.name())) {
                        errors.add(at(item, "duplicate case name '" + c.name() + "'"));
                    }
                    cases.add(c);
                }
            }
            return cases;
        }

        private GoldenCase parseCase(LocatedNode node) {
            if (!(node instanceof LocatedMap map)) {
                errors.add(at(node, "a case must be a mapping"));
                return null;
            }
            int before = errors.size();
            knownKeys(map, CASE_KEYS);
            String name = requiredString(map, "name");
            String tool = requiredString(map, "tool");
            Map<String, Object> args = optionalMapping(map, "args");
            Map<String, Object> ctx = optionalMapping(map, "ctx");
            List<String> history = optionalStringList(map, "history");
            Action expect = expectation(map);
            String rule = optionalString(map, "rule");
            String reasonContains = optionalString(map, "reason_contains");
            if (errors.size() > before) {
                return null;
            }
            return new GoldenCase(name, tool, args, ctx, history, expect, rule, reasonContains,
                    file, map.position().line());
        }

        private Action expectation(LocatedMap map) {
            String text = requiredString(map, "expect");
            if (text == null) {
                return null;
            }
            try {
                return Action.fromWireName(text);
            } catch (IllegalArgumentException e) {
                errors.add(at(map.get("expect"), e.getMessage()));
                return null;
            }
        }

        /** False after reporting each key that is not one of {@code known}, naming the expected ones. */
        private boolean knownKeys(LocatedMap map, List<String> known) {
            boolean ok = true;
            for (LocatedMap.Entry e : map.entryList()) {
                if (!known.contains(e.key())) {
                    errors.add(at(e.keyPosition(), "unknown key '" + e.key() + "' (expected one of: "
                            + String.join(", ", known) + ")"));
                    ok = false;
                }
            }
            return ok;
        }

        private String requiredString(LocatedMap map, String key) {
            if (!map.has(key)) {
                errors.add(at(map, "missing key '" + key + "'"));
                return null;
            }
            String value = optionalString(map, key);
            if (value != null && value.isBlank()) {
                errors.add(at(map.get(key), "'" + key + "' must not be empty"));
            }
            return value;
        }

        /** The text of a scalar as written (a tool named {@code 1.2} is a name), or null after an error. */
        private String optionalString(LocatedMap map, String key) {
            LocatedNode value = map.get(key);
            if (value == null) {
                return null;
            }
            if (value instanceof LocatedScalar scalar && scalar.value() != null) {
                return scalar.text();
            }
            errors.add(at(value, "'" + key + "' must be a string"));
            return null;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> optionalMapping(LocatedMap map, String key) {
            LocatedNode value = map.get(key);
            if (value == null || isNull(value)) {
                return Map.of();
            }
            if (!(value instanceof LocatedMap)) {
                errors.add(at(value, "'" + key + "' must be a mapping"));
                return Map.of();
            }
            return (Map<String, Object>) value.toPlain();
        }

        private List<String> optionalStringList(LocatedMap map, String key) {
            LocatedNode value = map.get(key);
            if (value == null || isNull(value)) {
                return List.of();
            }
            if (!(value instanceof LocatedList seq)) {
                errors.add(at(value, "'" + key + "' must be a list of tool names"));
                return List.of();
            }
            List<String> tools = new ArrayList<>();
            for (LocatedNode item : seq.items()) {
                if (item instanceof LocatedScalar scalar && scalar.value() != null && !scalar.text().isBlank()) {
                    tools.add(scalar.text());
                } else {
                    errors.add(at(item, "'" + key + "' entries must be tool names"));
                }
            }
            return tools;
        }

        private static boolean isNull(LocatedNode node) {
            return node instanceof LocatedScalar scalar && scalar.value() == null;
        }

        private LoadError at(LocatedNode node, String message) {
            return at(node.position(), message);
        }

        private LoadError at(SourcePosition where, String message) {
            return new LoadError(file, where.line(), where.column(), message);
        }
    }
}
