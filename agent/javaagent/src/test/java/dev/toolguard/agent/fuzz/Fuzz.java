package dev.toolguard.agent.fuzz;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounded, seeded fuzzing for plain JUnit 5 tests (docs/security.md, "Fuzzing").
 *
 * <p>{@link #forAll} runs one property: a fixed number of tries, each drawing its input from one
 * {@link Random} seeded per test, so every run sees the same inputs in the same order. The first try that
 * fails stops the test with its number, the seed and the exact input; there is no shrinking.
 *
 * <ul>
 *   <li>{@code -Dtoolguard.fuzz.tries=N}: N tries for a property of the default count (1,000); a costlier
 *       property that sets its own count runs the same share of N (one of 200 runs N/5).</li>
 *   <li>{@code -Dtoolguard.fuzz.seed=N} (or {@code random}): every property draws from seed N instead of its
 *       own.</li>
 * </ul>
 *
 * <p>An instance is the source of one property's inputs: small generators over the seeded {@link Random}
 * (strings with unicode and control characters, picks from lists, nested structures, mutations of texts).
 */
public final class Fuzz {

    public static final String TRIES_PROPERTY = "toolguard.fuzz.tries";
    public static final String SEED_PROPERTY = "toolguard.fuzz.seed";
    public static final int DEFAULT_TRIES = 1000;

    /** A rendered input longer than this is written to a file under target/ and only its start is shown. */
    private static final int SHOWN_INLINE = 8000;

    /** A property: an assertion on one input. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T input) throws Exception;
    }

    private final Random random;

    private Fuzz(Random random) {
        this.random = random;
    }

    // ---- running a property ----

    /** Runs {@code check} on {@link #DEFAULT_TRIES} inputs made by {@code inputs}, drawn from {@code seed}. */
    public static <T> void forAll(long seed, Function<Fuzz, T> inputs, Check<? super T> check) {
        run(caller(), seed, DEFAULT_TRIES, inputs, check);
    }

    /** As {@link #forAll(long, Function, Check)}, for a costlier property that runs {@code ownTries} tries. */
    public static <T> void forAll(long seed, int ownTries, Function<Fuzz, T> inputs, Check<? super T> check) {
        run(caller(), seed, ownTries, inputs, check);
    }

    private static <T> void run(String property, long defaultSeed, int ownTries, Function<Fuzz, T> inputs,
                                Check<? super T> check) {
        long seed = seed(defaultSeed);
        int tries = tries(ownTries);
        Fuzz fuzz = new Fuzz(new Random(seed));
        for (int attempt = 1; attempt <= tries; attempt++) {
            T input;
            try {
                input = inputs.apply(fuzz);
            } catch (RuntimeException e) {
                throw failure(property, attempt, tries, ownTries, seed, "(the generator itself failed)", e);
            }
            try {
                check.accept(input);
            } catch (Throwable e) {
                throw failure(property, attempt, tries, ownTries, seed, show(input), e);
            }
        }
    }

    /** The number of tries: {@code ownTries}, or its share of {@code -Dtoolguard.fuzz.tries}. */
    public static int tries(int ownTries) {
        String value = System.getProperty(TRIES_PROPERTY, "").strip();
        if (value.isEmpty()) {
            return ownTries;
        }
        long requested;
        try {
            requested = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + TRIES_PROPERTY + " must be a whole number, not " + value);
        }
        if (requested < 1) {
            throw new IllegalArgumentException("-D" + TRIES_PROPERTY + " must be at least 1, not " + value);
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, requested * ownTries / DEFAULT_TRIES));
    }

    /** The seed: {@code defaultSeed}, or {@code -Dtoolguard.fuzz.seed} (a number, or {@code random}). */
    public static long seed(long defaultSeed) {
        String value = System.getProperty(SEED_PROPERTY, "").strip();
        if (value.isEmpty()) {
            return defaultSeed;
        }
        if (value.equalsIgnoreCase("random")) {
            return new Random().nextLong();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a number or random, not " + value);
        }
    }

    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !f.getClassName().equals(Fuzz.class.getName()))
                .findFirst()
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                .orElse("a fuzz property"));
    }

    private static AssertionError failure(String property, int attempt, int tries, int ownTries, long seed,
                                          String input, Throwable cause) {
        // the smallest -Dtoolguard.fuzz.tries whose share for this property reaches the failing try
        long reach = ((long) attempt * DEFAULT_TRIES + ownTries - 1) / ownTries;
        StringBuilder message = new StringBuilder()
                .append(property).append(" failed on try ").append(attempt).append(" of ").append(tries)
                .append(", seed ").append(seed).append(" (inputs are not shrunk; -D").append(SEED_PROPERTY)
                .append('=').append(seed).append(" -D").append(TRIES_PROPERTY).append('=').append(reach)
                .append(" ends on this try)\n");
        if (input.length() > SHOWN_INLINE) {
            Path file = Path.of("target", "fuzz-failures", property + "-seed" + seed + "-try" + attempt + ".txt");
            try {
                Files.createDirectories(file.getParent());
                Files.writeString(file, input, StandardCharsets.UTF_8);
                message.append("input (").append(input.length()).append(" characters, all of it in ")
                        .append(file.toAbsolutePath()).append("):\n").append(input, 0, SHOWN_INLINE).append("…\n");
            } catch (IOException e) {
                message.append("input:\n").append(input);
            }
        } else {
            message.append("input:\n").append(input);
        }
        message.append("failure: ").append(cause);
        return new AssertionError(message.toString(), cause);
    }

    // ---- showing an input exactly ----

    /**
     * An input as text that can be pasted back into a test: strings as Java literals with every character
     * outside printable ASCII escaped, numbers with their Java type, records one component a line.
     */
    public static String show(Object input) {
        if (input instanceof Record record) {
            StringBuilder out = new StringBuilder();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                out.append("  ").append(component.getName()).append(" = ");
                try {
                    component.getAccessor().setAccessible(true);
                    out.append(show(component.getAccessor().invoke(record), 0));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    out.append("(not readable: ").append(e).append(')');
                }
                out.append('\n');
            }
            return out.toString();
        }
        return "  " + show(input, 0) + "\n";
    }

    private static String show(Object value, int depth) {
        if (depth > 200) {
            return "…";
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return literal(s);
        }
        if (value instanceof Character c) {
            return "'" + literal(String.valueOf(c)).replaceAll("^\"|\"$", "") + "'";
        }
        if (value instanceof byte[] bytes) {
            return "byte[" + bytes.length + "] hex " + HexFormat.ofDelimiter(" ").formatHex(bytes)
                    + " (read as UTF-8: " + literal(new String(bytes, StandardCharsets.UTF_8)) + ")";
        }
        if (value instanceof Long l) {
            return l + "L";
        }
        if (value instanceof Short s) {
            return "(short) " + s;
        }
        if (value instanceof Byte b) {
            return "(byte) " + b;
        }
        if (value instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? "Float." + (f.isNaN() ? "NaN" : f > 0 ? "POSITIVE_INFINITY"
                    : "NEGATIVE_INFINITY") : f + "f";
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "Double." + (d.isNaN() ? "NaN" : d > 0 ? "POSITIVE_INFINITY"
                    : "NEGATIVE_INFINITY") : d + "d";
        }
        if (value instanceof BigDecimal b) {
            return "new BigDecimal(\"" + b + "\")";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(out.length() > 1 ? ", " : "").append(show(e.getKey(), depth + 1)).append(": ")
                        .append(show(e.getValue(), depth + 1));
            }
            return out.append('}').toString();
        }
        if (value instanceof Collection<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (Object item : list) {
                out.append(out.length() > 1 ? ", " : "").append(show(item, depth + 1));
            }
            return out.append(']').toString();
        }
        if (value instanceof Enum<?> e) {
            return e.getDeclaringClass().getSimpleName() + "." + e.name();
        }
        return String.valueOf(value);
    }

    /** A Java string literal of {@code text}: printable ASCII as it is, everything else escaped. */
    public static String literal(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04X", (int) c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    // ---- numbers and choices ----

    /** The seeded source itself, for a draw the helpers below do not cover. */
    public Random random() {
        return random;
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public int between(int min, int max) {
        return (int) (min + (long) (random.nextDouble() * ((long) max - min + 1)));
    }

    /** A number from 0 (included) to 1 (excluded). */
    public double unit() {
        return random.nextDouble();
    }

    public boolean bool() {
        return random.nextBoolean();
    }

    /** True once in {@code n} draws. */
    public boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    public <T> T pick(List<? extends T> options) {
        return options.get(random.nextInt(options.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** The value of one of {@code options}, chosen evenly. */
    @SafeVarargs
    public final <T> T oneOf(Supplier<? extends T>... options) {
        return options[random.nextInt(options.length)].get();
    }

    /**
     * A size from {@code min} to {@code max}, small ones more often: the edge, a few, or anything in the
     * range, a third of the time each.
     */
    public int size(int min, int max) {
        return switch (random.nextInt(3)) {
            case 0 -> random.nextInt(4) == 0 ? max : min;
            case 1 -> between(min, Math.min(max, min + 8));
            default -> between(min, max);
        };
    }

    public <T> List<T> listOf(int min, int max, Supplier<? extends T> element) {
        int n = size(min, max);
        List<T> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** A map of up to {@code max} entries, keys distinct (fewer when the keys run out), in insertion order. */
    public <K, V> Map<K, V> mapOf(int max, Supplier<? extends K> key, Supplier<? extends V> value) {
        int n = size(0, max);
        Map<K, V> map = new LinkedHashMap<>();
        for (int attempt = 0; map.size() < n && attempt < 4 * n; attempt++) {
            K k = key.get();
            if (!map.containsKey(k)) {
                map.put(k, value.get());
            }
        }
        return map;
    }

    /** Each of {@code items} or not, evenly, in their order. */
    public <T> List<T> subsetOf(List<? extends T> items) {
        List<T> chosen = new ArrayList<>();
        for (T item : items) {
            if (random.nextBoolean()) {
                chosen.add(item);
            }
        }
        return chosen;
    }

    /**
     * A structure built {@code depth} levels down at most: {@code compound} gets a supplier of parts one
     * level less deep, and at depth 0 only {@code leaf} is drawn.
     */
    public <T> T nested(int depth, Supplier<? extends T> leaf, Function<Supplier<T>, ? extends T> compound) {
        if (depth <= 0) {
            return leaf.get();
        }
        return compound.apply(() -> nested(depth - 1, leaf, compound));
    }

    private static final int[] INT_EDGES = {0, 1, -1, 2, -2, 127, 128, 255, 256, 65535, 65536,
            Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1};
    private static final long[] LONG_EDGES = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE,
            (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1,
            1L << 53, (1L << 53) + 1, -(1L << 53) - 1};
    private static final double[] DOUBLE_EDGES = {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.MIN_VALUE, Double.MIN_NORMAL, 1e308, -1e308, 9007199254740993.0, 1e-300};

    /** Any int: an edge (0, ±1, the limits…), a small one or any of them. */
    public int anyInt() {
        return switch (random.nextInt(4)) {
            case 0 -> INT_EDGES[random.nextInt(INT_EDGES.length)];
            case 1 -> between(-100, 100);
            default -> random.nextInt();
        };
    }

    public long anyLong() {
        return switch (random.nextInt(4)) {
            case 0 -> LONG_EDGES[random.nextInt(LONG_EDGES.length)];
            case 1 -> between(-100, 100);
            case 2 -> random.nextLong() >> random.nextInt(64);
            default -> random.nextLong();
        };
    }

    public short anyShort() {
        return random.nextInt(4) == 0 ? pick((short) 0, (short) 1, (short) -1, Short.MAX_VALUE, Short.MIN_VALUE)
                : (short) random.nextInt();
    }

    /** Any double: an edge (±0, NaN, the infinities, the limits…), a modest one, or any bit pattern. */
    public double anyDouble() {
        return switch (random.nextInt(4)) {
            case 0 -> DOUBLE_EDGES[random.nextInt(DOUBLE_EDGES.length)];
            case 1 -> (random.nextDouble() - 0.5) * 2000;
            case 2 -> between(-1000, 1000);
            default -> Double.longBitsToDouble(random.nextLong());
        };
    }

    public float anyFloat() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
                    Float.MIN_VALUE, 0.1f);
            case 1 -> (random.nextFloat() - 0.5f) * 2000;
            default -> Float.intBitsToFloat(random.nextInt());
        };
    }

    /** A decimal of the given scale, with an unscaled value of up to 128 bits, either sign. */
    public BigDecimal anyBigDecimal(int scale) {
        BigInteger unscaled = new BigInteger(between(0, 128), random);
        return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), scale);
    }

    // ---- text ----

    private static final String SYNTAX = ":-{}[],#&*!|>'\"%@`?\\=<.()$~^+/; \n\t";
    private static final char[] ODD_SPACES = {'\r', '\n', '\t', '\u000B', '\u000C', '\u0085', '\u00A0', '\u1680',
            '\u2000', '\u200B', '\u200E', '\u2028', '\u2029', '\u202E', '\u3000', '\uFEFF', '\uFFFD', '\uFFFE',
            '\uFFFF'};
    private static final int[] ASTRAL = {0x1F642, 0x1F600, 0x10000, 0x10FFFF, 0x1D11E, 0xE0001, 0x20000};

    /**
     * Random text of {@code min} to {@code max} characters: printable ASCII, the punctuation of YAML, JSON
     * and expressions, ASCII and C1 control characters, odd spaces and line separators, Latin-1, any BMP
     * character (lone surrogates included) and characters beyond the BMP.
     */
    public String string(int min, int max) {
        return string(min, max, true);
    }

    /**
     * As {@link #string}, without lone surrogates: text that a serializer (SnakeYAML's, for one) can write,
     * for inputs built as data and then serialized.
     */
    public String wellFormedString(int min, int max) {
        return string(min, max, false);
    }

    private String string(int min, int max, boolean loneSurrogates) {
        int length = size(min, max);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            int codePoint = codePoint();
            if (!loneSurrogates && codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                continue;
            }
            if (Character.charCount(codePoint) > length - out.length()) {
                codePoint = 'a' + random.nextInt(26);
            }
            out.appendCodePoint(codePoint);
        }
        return out.toString();
    }

    /** Random text of {@code min} to {@code max} characters, each one of {@code alphabet}. */
    public String stringOf(String alphabet, int min, int max) {
        int length = size(min, max);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** One character of {@link #string}'s mix, as a code point. */
    public int codePoint() {
        int kind = random.nextInt(100);
        if (kind < 30) {
            return 0x20 + random.nextInt(0x5F);
        } else if (kind < 45) {
            return SYNTAX.charAt(random.nextInt(SYNTAX.length()));
        } else if (kind < 55) {
            int c = random.nextInt(33);
            return c == 32 ? 0x7F : c;
        } else if (kind < 62) {
            return ODD_SPACES[random.nextInt(ODD_SPACES.length)];
        } else if (kind < 72) {
            return 0x80 + random.nextInt(0x80);
        } else if (kind < 85) {
            return 0x100 + random.nextInt(0xFF00);
        } else if (kind < 90) {
            return 0xD800 + random.nextInt(0x800);
        } else {
            return random.nextBoolean() ? ASTRAL[random.nextInt(ASTRAL.length)] : 0x10000 + random.nextInt(0x100000);
        }
    }

    public byte[] bytes(int min, int max) {
        byte[] bytes = new byte[size(min, max)];
        random.nextBytes(bytes);
        return bytes;
    }

    // ---- mutations of seed texts ----

    /** The edits {@link #mutate} makes. */
    public enum Edit {
        /** A fragment inserted anywhere. */
        INSERT,
        /** A span of up to 40 characters deleted. */
        DELETE,
        /** A span of up to 40 characters repeated 2 to 6 times. */
        REPEAT,
        /** A line's content (its indentation kept) replaced by a fragment. */
        REPLACE_LINE,
        /** Two lines swapped. */
        SWAP_LINES
    }

    /**
     * {@code seed} with 1 to {@code maxEdits} edits of the given kinds, each at a random place; a fragment is
     * one of {@code fragments} (anchors, tags, brackets, keys… chosen by the caller) or up to 6 random
     * characters.
     */
    public String mutate(String seed, List<String> fragments, int maxEdits, Set<Edit> kinds) {
        List<Edit> allowed = List.copyOf(EnumSet.copyOf(kinds));
        int edits = between(1, maxEdits);
        String text = seed;
        for (int i = 0; i < edits; i++) {
            Edit kind = pick(allowed);
            double where = random.nextDouble();
            int length = between(0, 40);
            String fragment = random.nextBoolean() ? pick(fragments) : string(0, 6);
            text = apply(text, kind, where, length, fragment);
        }
        return text;
    }

    private static String apply(String text, Edit kind, double where, int length, String fragment) {
        int at = Math.min(text.length(), (int) (where * text.length()));
        int end = Math.min(text.length(), at + length);
        return switch (kind) {
            case INSERT -> text.substring(0, at) + fragment + text.substring(at);
            case DELETE -> text.substring(0, at) + text.substring(end);
            case REPEAT -> text.substring(0, end) + text.substring(at, end).repeat(1 + length % 5)
                    + text.substring(end);
            case REPLACE_LINE -> {
                List<String> lines = new ArrayList<>(text.lines().toList());
                if (!lines.isEmpty()) {
                    int i = Math.min(lines.size() - 1, (int) (where * lines.size()));
                    String line = lines.get(i);
                    int indent = line.length() - line.stripLeading().length();
                    lines.set(i, line.substring(0, indent) + fragment);
                }
                yield String.join("\n", lines);
            }
            case SWAP_LINES -> {
                List<String> lines = new ArrayList<>(text.lines().toList());
                if (lines.size() > 1) {
                    int i = Math.min(lines.size() - 1, (int) (where * lines.size()));
                    int j = (i + 1 + length) % lines.size();
                    String line = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, line);
                }
                yield String.join("\n", lines);
            }
        };
    }
}
