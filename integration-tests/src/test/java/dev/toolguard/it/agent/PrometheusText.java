package dev.toolguard.it.agent;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4, enough to show that a scrape would accept what
 * {@code /metrics} serves: a TYPE line before each family's samples, valid names, quoted and escaped label
 * values, numeric values, no series twice, histograms cumulative and ending in {@code +Inf} equal to
 * {@code _count}. Returns every sample by its series, e.g. {@code toolguard_decisions_total{tool="t",action="allow"}}.
 */
public final class PrometheusText {

    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*");
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? (\\S+)( -?\\d+)?");

    private PrometheusText() {
    }

    /** Every sample, by series; the families' types under {@code "# TYPE <name>"}. */
    public static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a newline");
        }
        Map<String, Double> samples = new LinkedHashMap<>();
        Set<String> typed = new HashSet<>();
        String family = null;
        String familyType = null;
        double lastBucket = -1;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || HELP.matcher(line).matches()) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                if (!typed.add(type.group(1))) {
                    throw new AssertionError("second TYPE line for " + type.group(1));
                }
                family = type.group(1);
                familyType = type.group(2);
                lastBucket = -1;
                samples.put("# TYPE " + family, 0.0);
                continue;
            }
            if (line.startsWith("#")) {
                throw new AssertionError("not a HELP or TYPE line: " + line);
            }
            Matcher s = SAMPLE.matcher(line);
            if (!s.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            String name = s.group(1);
            boolean histogramPart = "histogram".equals(familyType)
                    && (name.equals(family + "_bucket") || name.equals(family + "_sum") || name.equals(family + "_count"));
            if (family == null || !(name.equals(family) || histogramPart)) {
                throw new AssertionError("sample " + name + " is not under its TYPE line");
            }
            double value = value(s.group(3));
            String series = name + (s.group(2) == null ? "" : s.group(2));
            if (samples.put(series, value) != null) {
                throw new AssertionError("series twice: " + series);
            }
            if (name.endsWith("_bucket")) {
                if (value < lastBucket) {
                    throw new AssertionError("histogram buckets are not cumulative at " + series);
                }
                lastBucket = value;
            }
            if (histogramPart && name.endsWith("_count")
                    && !Double.valueOf(value).equals(samples.get(family + "_bucket{le=\"+Inf\"}"))) {
                throw new AssertionError(family + ": the +Inf bucket must exist and equal _count");
            }
        }
        return samples;
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(text);
        };
    }
}
