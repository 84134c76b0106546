package dev.toolguard.policy.values;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one located reader of the files ToolGuard reads (policies, {@code toolguard.yaml}, {@code rules.yaml},
 * cases files): YAML (SnakeYAML's node API) and JSON (Jackson's streaming parser) into one located tree, so
 * that every later check can name {@code file:line:col}. Syntax errors, bytes that are not UTF-8, duplicate
 * keys, non-string keys and recursive aliases are problems with positions, never exceptions; a YAML syntax
 * error carries a one-line hint where the usual cause is known ({@link YamlHints}).
 *
 * <p>YAML scalars are typed as in YAML 1.2's core schema ({@code true}/{@code false}, {@code null}/{@code ~},
 * integers, decimals), not YAML 1.1: {@code yes}, {@code no}, {@code on} and {@code off} stay strings.
 * Only one document per source; aliases are limited to 50, the values they copy to 10,000 in all (a
 * "billion laughs" document stops there), and nesting to 100 levels, in YAML and JSON alike.
 */
public final class LocatedReader {

    private static final int MAX_NESTING = 100;
    private static final int MAX_ALIASES = 50;
    /** How many values aliases may copy in one document, so that nested aliases cannot multiply a small file. */
    static final int MAX_ALIAS_EXPANSION = 10_000;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();

    private LocatedReader() {
    }

    /** What reading one source gave: a root node and no problems, or problems (and maybe no root). */
    public record ReadResult(LocatedNode root, List<SourceProblem> problems) {
        public boolean ok() {
            return root != null && problems.isEmpty();
        }
    }

    /**
     * The most bytes {@link #readFile(Path)} reads: the default of {@code policy.max_bytes} (SPEC §13.9), so that
     * no file ToolGuard reads (config, rules, cases) is parsed past it.
     */
    public static final long MAX_FILE_BYTES = 4L * 1024 * 1024;

    /** Reads a file of at most {@link #MAX_FILE_BYTES}, as JSON when its name ends in {@code .json} and as YAML otherwise. */
    public static ReadResult readFile(Path file) {
        return readFile(file, MAX_FILE_BYTES, "file");
    }

    /**
     * Reads a file of at most {@code maxBytes}, refused before it is parsed when larger; {@code what} names the
     * file in the problem when it cannot be read ({@code cannot read cases file: no such file}).
     */
    public static ReadResult readFile(Path file, long maxBytes, String what) {
        String name = file.toString();
        try {
            if (Files.size(file) > maxBytes) {
                return failed(name, "the file is larger than " + maxBytes + " bytes: " + Files.size(file) + " bytes");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > maxBytes) {
                return failed(name, "the file is larger than " + maxBytes + " bytes");
            }
            return read(name, bytes);
        } catch (IOException | RuntimeException e) {
            return failed(name, "cannot read " + what + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()));
        }
    }

    /**
     * Reads bytes as JSON or YAML by the name's extension. They must be UTF-8 (an optional byte-order mark is
     * skipped): the first byte that is not is a problem placed at its line and column, never a silent U+FFFD.
     */
    public static ReadResult read(String sourceName, byte[] bytes) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult decoded = StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
        String text = out.flip().toString();
        if (decoded.isError()) {
            int[] at = lineAndColumn(text, text.codePointCount(0, text.length()));
            return new ReadResult(null, List.of(new SourceProblem(new SourcePosition(sourceName, at[0], at[1]),
                    "the file is not UTF-8 text (byte " + (in.position() + 1) + ")")));
        }
        return read(sourceName, text);
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

    /** Reads text as JSON when {@code sourceName} ends in {@code .json} (any case), as YAML otherwise. */
    public static ReadResult read(String sourceName, String text) {
        String path = sourceName.toLowerCase(Locale.ROOT);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        return path.endsWith(".json") ? readJson(sourceName, text) : readYaml(sourceName, text);
    }

    public static ReadResult readYaml(String sourceName, String text) {
        String body = withoutByteOrderMark(text);
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by us, with both positions
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setAllowRecursiveKeys(false);
        // the caller bounds the bytes (policy.max_bytes); SnakeYAML's own default (3 MB) must not undercut that
        options.setCodePointLimit(Math.max(1, body.length()));
        Node root;
        try {
            Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(body)), options),
                    new CoreSchemaResolver(), options);
            root = composer.getSingleNode();
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage());
            String hint = YamlHints.hint(message, body, mark == null ? -1 : mark.getLine());
            return failed(sourceName, mark, NOT_VALID + message + (hint == null ? "" : "\n  hint: " + hint));
        } catch (ReaderException e) {
            // a character YAML forbids: SnakeYAML gives its index in code points instead of a mark
            int[] at = lineAndColumn(body, e.getPosition());
            return new ReadResult(null, List.of(new SourceProblem(new SourcePosition(sourceName, at[0], at[1]),
                    NOT_VALID + "the character " + String.format("U+%04X", e.getCodePoint()) + " is not allowed")));
        } catch (YAMLException | IllegalArgumentException e) {
            // SnakeYAML's limits (aliases, nesting) carry no position: the start of the file stands for it
            return failed(sourceName, NOT_VALID + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // a failure of the parser itself is still a problem of this file, never an exception for the caller
            return failed(sourceName, NOT_VALID + e);
        }
        if (root == null) {
            return failed(sourceName, EMPTY_DOCUMENT);
        }
        YamlTree tree = new YamlTree(sourceName, body);
        LocatedNode located = tree.convert(root);
        return new ReadResult(located, tree.problems.list());
    }

    public static ReadResult readJson(String sourceName, String text) {
        String body = withoutByteOrderMark(text);
        Problems problems = new Problems();
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return failed(sourceName, EMPTY_DOCUMENT);
            }
            LocatedNode root = new JsonTree(sourceName, parser, problems).convert();
            if (parser.nextToken() != null) {
                problems.add(at(sourceName, parser.currentTokenLocation()), "unexpected content after the JSON document");
            }
            return new ReadResult(root, problems.list());
        } catch (StreamConstraintsException e) {
            JsonLocation loc = e.getLocation();
            SourcePosition where = loc == null ? SourcePosition.startOf(sourceName) : at(sourceName, loc);
            problems.add(where, "JSON: nesting deeper than " + MAX_NESTING + " levels");
            return new ReadResult(null, problems.list());
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            SourcePosition where = loc == null ? SourcePosition.startOf(sourceName) : at(sourceName, loc);
            problems.add(where, "JSON syntax: " + e.getOriginalMessage());
            return new ReadResult(null, problems.list());
        } catch (IOException e) {
            return failed(sourceName, "cannot read JSON: " + e.getMessage());
        }
    }

    /** The problem of a source with no document (empty, or only comments): a caller may take it as "nothing set". */
    public static final String EMPTY_DOCUMENT = "the document is empty";

    /** The start of every YAML syntax problem, whichever file it is in. */
    static final String NOT_VALID = "not valid YAML: ";

    private static String firstLine(String text) {
        if (text == null) {
            return "unreadable";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    private static ReadResult failed(String source, String message) {
        return new ReadResult(null, List.of(new SourceProblem(SourcePosition.startOf(source), message)));
    }

    private static ReadResult failed(String source, Mark mark, String message) {
        SourcePosition where = mark == null ? SourcePosition.startOf(source)
                : new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1);
        return new ReadResult(null, List.of(new SourceProblem(where, message)));
    }

    private static SourcePosition at(String source, JsonLocation loc) {
        return new SourcePosition(source, Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }

    private static final class YamlTree {
        private final String source;
        private final String[] lines;
        private final Problems problems = new Problems();
        private final IdentityHashMap<Node, Boolean> inProgress = new IdentityHashMap<>();
        /** Every node met once; meeting one again means an alias is copying it. */
        private final IdentityHashMap<Node, Boolean> met = new IdentityHashMap<>();
        private int insideAlias;
        private int copiedByAliases;

        YamlTree(String source, String text) {
            this.source = source;
            this.lines = text.split("\r?\n", -1);
        }

        LocatedNode convert(Node node) {
            SourcePosition where = position(node.getStartMark());
            if (inProgress.containsKey(node)) {
                problems.add(where, "an alias refers to a value that contains it");
                return new LocatedScalar(null, "", LocatedScalar.Style.PLAIN, where, 0);
            }
            boolean alias = met.put(node, Boolean.TRUE) != null;
            if (alias || insideAlias > 0) {
                if (++copiedByAliases == MAX_ALIAS_EXPANSION + 1) {
                    problems.add(where, "aliases expand to more than " + MAX_ALIAS_EXPANSION + " values");
                }
                if (copiedByAliases > MAX_ALIAS_EXPANSION) {
                    return new LocatedScalar(null, "", LocatedScalar.Style.PLAIN, where, 0);
                }
            }
            if (alias) {
                insideAlias++;
            }
            inProgress.put(node, Boolean.TRUE);
            try {
                if (node instanceof MappingNode mapping) {
                    return mapping(mapping, where);
                }
                if (node instanceof SequenceNode sequence) {
                    List<LocatedNode> items = new ArrayList<>();
                    for (Node item : sequence.getValue()) {
                        items.add(convert(item));
                    }
                    return new LocatedList(items, where);
                }
                return scalar((ScalarNode) node, where);
            } finally {
                inProgress.remove(node);
                if (alias) {
                    insideAlias--;
                }
            }
        }

        private LocatedMap mapping(MappingNode mapping, SourcePosition where) {
            List<LocatedMap.Entry> entries = new ArrayList<>();
            Map<String, SourcePosition> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                SourcePosition keyAt = position(keyNode.getStartMark());
                if (!(keyNode instanceof ScalarNode keyScalar)) {
                    problems.add(keyAt, "mapping keys must be plain text");
                    continue;
                }
                String key = keyScalar.getValue();
                SourcePosition first = seen.putIfAbsent(key, keyAt);
                if (first != null) {
                    problems.add(keyAt, "duplicate key '" + key + "' (first at line " + first.line() + ")");
                    continue;
                }
                entries.add(new LocatedMap.Entry(key, keyAt, convert(tuple.getValueNode())));
            }
            return new LocatedMap(entries, where);
        }

        private LocatedScalar scalar(ScalarNode node, SourcePosition where) {
            String text = node.getValue();
            DumperOptions.ScalarStyle style = node.getScalarStyle();
            LocatedScalar.Style located = switch (style) {
                case SINGLE_QUOTED, DOUBLE_QUOTED -> LocatedScalar.Style.QUOTED;
                case LITERAL, FOLDED -> LocatedScalar.Style.BLOCK;
                default -> LocatedScalar.Style.PLAIN;
            };
            int indent = located == LocatedScalar.Style.BLOCK || text.indexOf('\n') >= 0
                    ? contentIndent(node.getStartMark().getLine() + 1) : 0;
            Object value = typed(node.getTag(), text, where);
            return new LocatedScalar(value, text, located, where, indent);
        }

        private Object typed(Tag tag, String text, SourcePosition where) {
            if (Tag.NULL.equals(tag)) {
                return null;
            }
            if (Tag.BOOL.equals(tag)) {
                return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
            }
            if (Tag.INT.equals(tag)) {
                try {
                    if (text.startsWith("0x")) {
                        return Long.parseLong(text.substring(2), 16);
                    }
                    if (text.startsWith("0o")) {
                        return Long.parseLong(text.substring(2), 8);
                    }
                    return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
                } catch (NumberFormatException e) {
                    problems.add(where, "the number " + text + " is too large");
                    return null;
                }
            }
            if (Tag.FLOAT.equals(tag)) {
                String t = text.toLowerCase(Locale.ROOT);
                if (t.endsWith(".nan")) {
                    return Double.NaN;
                }
                if (t.endsWith(".inf")) {
                    return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                return Double.parseDouble(text);
            }
            return text;
        }

        /** The 1-based column of the first non-blank content line from 0-based {@code line} on. */
        private int contentIndent(int line) {
            for (int i = line; i < lines.length; i++) {
                String l = lines[i];
                int n = 0;
                while (n < l.length() && l.charAt(n) == ' ') {
                    n++;
                }
                if (n < l.length()) {
                    return n + 1;
                }
            }
            return 1;
        }

        private SourcePosition position(Mark mark) {
            return new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1);
        }
    }

    private static final class JsonTree {
        private final String source;
        private final JsonParser parser;
        private final Problems problems;

        JsonTree(String source, JsonParser parser, Problems problems) {
            this.source = source;
            this.parser = parser;
            this.problems = problems;
        }

        /** Converts the value at the current token, leaving the parser on its last token. */
        LocatedNode convert() throws IOException {
            JsonToken token = parser.currentToken();
            SourcePosition where = at(source, parser.currentTokenLocation());
            switch (token) {
                case START_OBJECT -> {
                    List<LocatedMap.Entry> entries = new ArrayList<>();
                    Map<String, SourcePosition> seen = new HashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        SourcePosition keyAt = at(source, parser.currentTokenLocation());
                        parser.nextToken();
                        LocatedNode value = convert();
                        SourcePosition first = seen.putIfAbsent(key, keyAt);
                        if (first != null) {
                            problems.add(keyAt, "duplicate key '" + key + "' (first at line " + first.line() + ")");
                        } else {
                            entries.add(new LocatedMap.Entry(key, keyAt, value));
                        }
                    }
                    return new LocatedMap(entries, where);
                }
                case START_ARRAY -> {
                    List<LocatedNode> items = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        items.add(convert());
                    }
                    return new LocatedList(items, where);
                }
                case VALUE_STRING -> {
                    String s = parser.getText();
                    return new LocatedScalar(s, s, LocatedScalar.Style.QUOTED, where, 0);
                }
                case VALUE_NUMBER_INT -> {
                    String text = parser.getText();
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        problems.add(where, "the number " + text + " is too large");
                        return new LocatedScalar(null, text, LocatedScalar.Style.PLAIN, where, 0);
                    }
                    return new LocatedScalar(parser.getLongValue(), text, LocatedScalar.Style.PLAIN, where, 0);
                }
                case VALUE_NUMBER_FLOAT -> {
                    return new LocatedScalar(parser.getDoubleValue(), parser.getText(), LocatedScalar.Style.PLAIN, where, 0);
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return new LocatedScalar(token == JsonToken.VALUE_TRUE, parser.getText(), LocatedScalar.Style.PLAIN, where, 0);
                }
                default -> {
                    return new LocatedScalar(null, "null", LocatedScalar.Style.PLAIN, where, 0);
                }
            }
        }
    }

    /** YAML 1.2 core schema typing: no yes/no/on/off booleans, no sexagesimal numbers, no timestamps. */
    private static final class CoreSchemaResolver extends Resolver {
        private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern CORE_INT = Pattern.compile("^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$");
        private static final Pattern CORE_FLOAT = Pattern.compile(
                "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
        private static final Pattern CORE_NULL = Pattern.compile("^(?:~|null|Null|NULL|)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, CORE_BOOL, "tfTF");
            addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.NULL, CORE_NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, Pattern.compile("^$"), null);
        }
    }
}
