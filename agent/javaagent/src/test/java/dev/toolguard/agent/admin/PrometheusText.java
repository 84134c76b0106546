package dev.toolguard.agent.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), enough to prove that what /metrics
 * writes is what a Prometheus server would accept: HELP and TYPE before a family's samples, valid names,
 * escaped label values, parseable values, no duplicate series, cumulative histograms ending in +Inf.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, List<Sample> samples) {
    }

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern HELP = Pattern.compile("# HELP (\\S+) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");

    private PrometheusText() {
    }

    static Map<String, Family> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        Set<String> helped = new HashSet<>();
        Family current = null;
        int lineNo = 0;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    name(help.group(1), lineNo);
                    if (!helped.add(help.group(1))) {
                        throw new IllegalArgumentException("line " + lineNo + ": second HELP for " + help.group(1));
                    }
                } else if (type.matches()) {
                    String name = name(type.group(1), lineNo);
                    if (families.containsKey(name)) {
                        throw new IllegalArgumentException("line " + lineNo + ": second TYPE for " + name);
                    }
                    current = new Family(name, type.group(2), new ArrayList<>());
                    families.put(name, current);
                } else if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                    throw new IllegalArgumentException("line " + lineNo + ": malformed " + line);
                }
                continue;
            }
            Sample sample = sample(line, lineNo);
            if (current == null || !belongs(sample.name(), current)) {
                throw new IllegalArgumentException("line " + lineNo + ": sample " + sample.name()
                        + " is not under its TYPE line");
            }
            if (!series.add(sample.name() + sample.labels())) {
                throw new IllegalArgumentException("line " + lineNo + ": duplicate series " + sample.name()
                        + sample.labels());
            }
            current.samples().add(sample);
        }
        for (Family f : families.values()) {
            if (f.type().equals("histogram")) {
                checkHistogram(f);
            }
        }
        return families;
    }

    private static boolean belongs(String sampleName, Family family) {
        if (family.type().equals("histogram")) {
            return sampleName.equals(family.name() + "_bucket") || sampleName.equals(family.name() + "_sum")
                    || sampleName.equals(family.name() + "_count");
        }
        return sampleName.equals(family.name());
    }

    private static void checkHistogram(Family f) {
        double previous = 0;
        double inf = -1;
        double count = -1;
        for (Sample s : f.samples()) {
            if (s.name().endsWith("_bucket")) {
                String le = s.labels().get("le");
                if (le == null) {
                    throw new IllegalArgumentException(f.name() + ": bucket without le");
                }
                value(le, 0);
                if (s.value() < previous) {
                    throw new IllegalArgumentException(f.name() + ": buckets are not cumulative at le=" + le);
                }
                previous = s.value();
                if (le.equals("+Inf")) {
                    inf = s.value();
                }
            } else if (s.name().endsWith("_count")) {
                count = s.value();
            }
        }
        if (inf < 0 || inf != count) {
            throw new IllegalArgumentException(f.name() + ": the +Inf bucket must exist and equal _count");
        }
    }

    private static Sample sample(String line, int lineNo) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = name(line.substring(0, i), lineNo);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq);
                if (!LABEL_NAME.matcher(label).matches()) {
                    throw new IllegalArgumentException("line " + lineNo + ": bad label name " + label);
                }
                if (line.charAt(eq + 1) != '"') {
                    throw new IllegalArgumentException("line " + lineNo + ": label value must be quoted");
                }
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        switch (next) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("line " + lineNo + ": bad escape \\" + next);
                        }
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("line " + lineNo + ": label " + label + " twice");
                }
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("line " + lineNo + ": expected , or } after a label");
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("line " + lineNo + ": expected a space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ", -1);
        if (rest.length < 1 || rest.length > 2) {
            throw new IllegalArgumentException("line " + lineNo + ": expected value [timestamp]");
        }
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        return new Sample(name, labels, value(rest[0], lineNo));
    }

    private static double value(String text, int lineNo) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + lineNo + ": bad value " + text);
                }
        }
    }

    private static String name(String name, int lineNo) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("line " + lineNo + ": bad metric name '" + name + "'");
        }
        return name;
    }
}
