package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.load.LoadError;
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
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed cases file (SPEC §11). Parsing never throws for bad input: every problem comes back with its
 * file, line and column, and a file with problems yields no cases, so a typo never silently drops a case.
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
        String name = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new CasesFile(name, List.of(), List.of(new LoadError(name, 1, 1, "cannot read cases file: " + describe(e))));
        }
        return parse(name, text);
    }

    /** Parses cases from text; {@code file} is only used to locate problems. */
    public static CasesFile parse(String file, String text) {
        Parser parser = new Parser(file);
        List<GoldenCase> cases = parser.parseDocument(new StringReader(text));
        return new CasesFile(file, parser.errors.isEmpty() ? cases : List.of(), parser.errors);
    }

    private static String describe(Exception e) {
        String kind = e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName();
        return e.getMessage() == null || e instanceof java.nio.file.NoSuchFileException ? kind : kind + ": " + e.getMessage();
    }

    /** Walks the YAML node tree, keeping marks so every problem can say where it is. */
    private static final class Parser {
        private final String file;
        private final List<LoadError> errors = new ArrayList<>();

        Parser(String file) {
            this.file = file;
        }

        List<GoldenCase> parseDocument(Reader reader) {
            Node root;
            try {
                LoaderOptions options = new LoaderOptions();
                options.setAllowDuplicateKeys(false);
                root = new Yaml(options).compose(reader);
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                errors.add(at(mark, "invalid YAML: " + firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage())));
                return List.of();
            } catch (YAMLException e) {
                errors.add(new LoadError(file, 1, 1, "invalid YAML: " + firstLine(e.getMessage())));
                return List.of();
            }
            if (root == null) {
                errors.add(new LoadError(file, 1, 1, "empty cases file (expected a 'cases' list)"));
                return List.of();
            }
            if (!(root instanceof MappingNode top)) {
                errors.add(at(root, "expected a mapping with a 'cases' list"));
                return List.of();
            }
            Map<String, NodeTuple> keys = keys(top, TOP_LEVEL_KEYS);
            NodeTuple casesEntry = keys.get("cases");
            if (casesEntry == null) {
                errors.add(at(top, "missing key 'cases'"));
                return List.of();
            }
            if (!(casesEntry.getValueNode() instanceof SequenceNode list)) {
                errors.add(at(casesEntry.getValueNode(), "'cases' must be a list"));
                return List.of();
            }
            List<GoldenCase> cases = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (Node item : list.getValue()) {
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

        private GoldenCase parseCase(Node node) {
            if (!(node instanceof MappingNode map)) {
                errors.add(at(node, "a case must be a mapping"));
                return null;
            }
            int before = errors.size();
            Map<String, NodeTuple> keys = keys(map, CASE_KEYS);
            String name = requiredString(map, keys, "name");
            String tool = requiredString(map, keys, "tool");
            Map<String, Object> args = optionalMapping(keys, "args");
            Map<String, Object> ctx = optionalMapping(keys, "ctx");
            List<String> history = optionalStringList(keys, "history");
            Action expect = expectation(map, keys);
            String rule = optionalString(keys, "rule");
            String reasonContains = optionalString(keys, "reason_contains");
            if (errors.size() > before) {
                return null;
            }
            return new GoldenCase(name, tool, args, ctx, history, expect, rule, reasonContains,
                    file, map.getStartMark().getLine() + 1);
        }

        private Action expectation(MappingNode map, Map<String, NodeTuple> keys) {
            String text = requiredString(map, keys, "expect");
            if (text == null) {
                return null;
            }
            try {
                return Action.fromWireName(text);
            } catch (IllegalArgumentException e) {
                errors.add(at(keys.get("expect").getValueNode(), e.getMessage()));
                return null;
            }
        }

        /** The mapping's entries by key; unknown and non-string keys are errors naming the expected ones. */
        private Map<String, NodeTuple> keys(MappingNode map, List<String> known) {
            Map<String, NodeTuple> byName = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (!(keyNode instanceof ScalarNode scalar)) {
                    errors.add(at(keyNode, "keys must be plain strings"));
                    continue;
                }
                String key = scalar.getValue();
                if (!known.contains(key)) {
                    errors.add(at(keyNode, "unknown key '" + key + "' (expected one of: " + String.join(", ", known) + ")"));
                } else if (byName.putIfAbsent(key, tuple) != null) {
                    errors.add(at(keyNode, "duplicate key '" + key + "'"));
                }
            }
            return byName;
        }

        private String requiredString(MappingNode map, Map<String, NodeTuple> keys, String key) {
            if (!keys.containsKey(key)) {
                errors.add(at(map, "missing key '" + key + "'"));
                return null;
            }
            String value = optionalString(keys, key);
            if (value != null && value.isBlank()) {
                errors.add(at(keys.get(key).getValueNode(), "'" + key + "' must not be empty"));
            }
            return value;
        }

        private String optionalString(Map<String, NodeTuple> keys, String key) {
            NodeTuple tuple = keys.get(key);
            if (tuple == null) {
                return null;
            }
            Node value = tuple.getValueNode();
            if (value instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
                return scalar.getValue();
            }
            errors.add(at(value, "'" + key + "' must be a string"));
            return null;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> optionalMapping(Map<String, NodeTuple> keys, String key) {
            NodeTuple tuple = keys.get(key);
            if (tuple == null || isNull(tuple.getValueNode())) {
                return Map.of();
            }
            Node value = tuple.getValueNode();
            if (!(value instanceof MappingNode)) {
                errors.add(at(value, "'" + key + "' must be a mapping"));
                return Map.of();
            }
            return (Map<String, Object>) toValue(value);
        }

        private List<String> optionalStringList(Map<String, NodeTuple> keys, String key) {
            NodeTuple tuple = keys.get(key);
            if (tuple == null || isNull(tuple.getValueNode())) {
                return List.of();
            }
            if (!(tuple.getValueNode() instanceof SequenceNode seq)) {
                errors.add(at(tuple.getValueNode(), "'" + key + "' must be a list of tool names"));
                return List.of();
            }
            List<String> tools = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode scalar && !isNull(scalar) && !scalar.getValue().isBlank()) {
                    tools.add(scalar.getValue());
                } else {
                    errors.add(at(item, "'" + key + "' entries must be tool names"));
                }
            }
            return tools;
        }

        /** Turns a node into the JSON-like values the engine reads: maps, lists, strings, longs, doubles, booleans, null. */
        private Object toValue(Node node) {
            if (node instanceof MappingNode map) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (NodeTuple tuple : map.getValue()) {
                    if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                        errors.add(at(tuple.getKeyNode(), "keys must be plain strings"));
                        continue;
                    }
                    if (values.containsKey(key.getValue())) {
                        errors.add(at(key, "duplicate key '" + key.getValue() + "'"));
                        continue;
                    }
                    values.put(key.getValue(), toValue(tuple.getValueNode()));
                }
                return Collections.unmodifiableMap(values);
            }
            if (node instanceof SequenceNode seq) {
                List<Object> values = new ArrayList<>();
                for (Node item : seq.getValue()) {
                    values.add(toValue(item));
                }
                return Collections.unmodifiableList(values);
            }
            return scalar((ScalarNode) node);
        }

        private Object scalar(ScalarNode node) {
            String text = node.getValue();
            Tag tag = node.getTag();
            if (tag.equals(Tag.NULL)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                return lower.equals("true") || lower.equals("yes") || lower.equals("on") || lower.equals("y");
            }
            if (tag.equals(Tag.INT)) {
                Object number = integer(text);
                if (number == null) {
                    errors.add(at(node, "integer out of range: " + text));
                }
                return number;
            }
            if (tag.equals(Tag.FLOAT)) {
                try {
                    return Double.parseDouble(text.replace("_", ""));
                } catch (NumberFormatException e) {
                    errors.add(at(node, "not a number: " + text));
                    return null;
                }
            }
            // Timestamps and everything else stay text: the engine only knows JSON-like values.
            return text;
        }

        /** The value of a YAML integer as a Long, the text itself for forms we do not read (1:30), null when too large. */
        private static Object integer(String text) {
            String digits = text.replace("_", "");
            boolean negative = digits.startsWith("-");
            if (negative || digits.startsWith("+")) {
                digits = digits.substring(1);
            }
            int radix = 10;
            if (digits.startsWith("0x")) {
                radix = 16;
                digits = digits.substring(2);
            } else if (digits.startsWith("0b")) {
                radix = 2;
                digits = digits.substring(2);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                radix = 8;
                digits = digits.substring(1);
            }
            try {
                BigInteger value = new BigInteger(digits, radix);
                value = negative ? value.negate() : value;
                return value.bitLength() < 64 ? (Object) value.longValue() : null;
            } catch (NumberFormatException e) {
                return text;
            }
        }

        private static boolean isNull(Node node) {
            return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
        }

        private LoadError at(Node node, String message) {
            return at(node.getStartMark(), message);
        }

        private LoadError at(Mark mark, String message) {
            if (mark == null) {
                return new LoadError(file, 1, 1, message);
            }
            return new LoadError(file, mark.getLine() + 1, mark.getColumn() + 1, message);
        }

        private static String firstLine(String text) {
            if (text == null) {
                return "unreadable";
            }
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline);
        }
    }
}
