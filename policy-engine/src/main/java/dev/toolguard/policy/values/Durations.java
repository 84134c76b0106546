package dev.toolguard.policy.values;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in ToolGuard files: {@code <number><unit>}, unit {@code ms|s|m|h|d}, e.g.
 * {@code 250ms}, {@code 2s}, {@code 1.5h}, {@code 1d}. The number is non-negative and may have a
 * fraction; a day is 24 hours. {@code 0} alone means zero (as in {@code reload: 0}).
 */
public final class Durations {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final String EXPECTED = "expected <number><unit> with unit ms, s, m, h or d, e.g. 30s or 1h";

    private Durations() {
    }

    /** Parses {@code text}; empty when it is not a duration. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.strip();
        if (t.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal nanosPerUnit = BigDecimal.valueOf(switch (m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 86_400_000_000_000L;
        });
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(nanosPerUnit);
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }

    /**
     * Reads a located duration; reports {@code 'per': '1 hour' is not a duration (expected ...)} at the
     * value and returns null when it does not parse.
     */
    public static Duration parse(LocatedNode node, String what, Problems problems) {
        if (!(node instanceof LocatedScalar scalar) || scalar.value() == null || scalar.value() instanceof Boolean) {
            problems.add(node.position(), what + " must be a duration, not " + node.kind() + " (" + EXPECTED + ")");
            return null;
        }
        Optional<Duration> d = parse(scalar.text());
        if (d.isEmpty()) {
            problems.add(node.position(), what + ": '" + scalar.text() + "' is not a duration (" + EXPECTED + ")");
            return null;
        }
        return d.get();
    }
}
