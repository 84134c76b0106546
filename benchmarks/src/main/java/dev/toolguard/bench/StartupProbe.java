package dev.toolguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up cost of the agent: how long a sample app takes from process start to its first tool call, with and
 * without {@code -javaagent}, runs interleaved so that a noisy machine hurts both alike. It writes the difference
 * of the medians ({@code startup_overhead_ms}) and their ratio ({@code startup_overhead_ratio}).
 *
 * <p>{@code --also FLAG} (repeatable) adds further variants to the same interleaved runs, e.g. an older agent jar
 * or the agent with a class-data-sharing archive, each reported as {@code median_also_<i>_ms}: so that two
 * builds are compared within one run on a noisy machine. {@code --floor NAME=FLAGS} (repeatable) adds a named
 * variant the same way, meant for the floor agent ({@code benchmarks/target/floor-agent.jar}, which weaves a check
 * and does nothing else), reported as {@code median_floor_<NAME>_ms}, {@code overhead_floor_<NAME>_ms} and
 * {@code ratio_floor_<NAME>}: what the weaving alone costs the same start, in the same runs.
 *
 * <pre>
 * java -cp benchmarks.jar dev.toolguard.bench.StartupProbe --runs 7 --marker "[1]" \
 *     --agent "-javaagent:agent/javaagent/target/toolguard-agent.jar=config=..." --out startup.json \
 *     -- java -jar sample-apps/plain-java/target/sample-plain-java.jar
 * </pre>
 */
public final class StartupProbe {

    private StartupProbe() {
    }

    static final String USAGE = """
            usage: StartupProbe --runs N --marker TEXT --agent JVM_FLAGS [--also JVM_FLAGS]... [--floor NAME=JVM_FLAGS]...
                                --out FILE -- java ...

            Times the command from process start to the first standard-output line containing TEXT, without and
            with JVM_FLAGS (the -javaagent flag), N times each, interleaved, and writes the medians as JSON to FILE.
              --runs N          runs per variant (default 7)
              --marker TEXT     the line that ends a run (the sample's first tool call)
              --agent FLAGS     the agent's JVM flags; several flags in one argument are split where a flag begins
              --also FLAGS      a further variant in the same runs (repeatable): median_also_<i>_ms
              --floor NAME=FLAGS
                                a named variant in the same runs (repeatable), e.g. the floor agent:
                                median_floor_<NAME>_ms, overhead_floor_<NAME>_ms (over without) and ratio_floor_<NAME>
              --out FILE        where the JSON goes
              -h, --help        this text
            """;

    /** What the command line asks for; {@code help} when it asks for the usage text only. */
    record Options(int runs, String marker, String agent, List<String> also, Map<String, String> floors, Path out,
                   List<String> command, boolean help) {
    }

    /** The command line read, or an {@link IllegalArgumentException} saying what is wrong with it. */
    static Options parse(String[] argv) {
        int runs = 7;
        String marker = null;
        String agent = null;
        List<String> also = new ArrayList<>();
        Map<String, String> floors = new LinkedHashMap<>();
        Path out = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String option = argv[i];
            switch (option) {
                case "-h", "--help" -> {
                    return new Options(runs, marker, agent, also, floors, out, command, true);
                }
                case "--runs" -> {
                    String n = valueOf(argv, ++i, option);
                    try {
                        runs = Integer.parseInt(n);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--runs takes a whole number, not '" + n + "'");
                    }
                    if (runs < 1) {
                        throw new IllegalArgumentException("--runs takes a number of at least 1, not " + runs);
                    }
                }
                case "--marker" -> marker = valueOf(argv, ++i, option);
                case "--agent" -> agent = valueOf(argv, ++i, option);
                case "--also" -> also.add(valueOf(argv, ++i, option));
                case "--floor" -> {
                    String named = valueOf(argv, ++i, option);
                    int eq = named.indexOf('=');
                    String name = eq < 0 ? "" : named.substring(0, eq);
                    if (!name.matches("[a-z0-9][a-z0-9_-]*") || eq == named.length() - 1) {
                        throw new IllegalArgumentException("--floor takes NAME=JVM_FLAGS (a name of a-z, 0-9, - and _),"
                                + " not '" + named + "'");
                    }
                    String key = name.replace('-', '_');
                    if (floors.containsKey(key)) {
                        throw new IllegalArgumentException("--floor " + name + " is given twice");
                    }
                    floors.put(key, named.substring(eq + 1));
                }
                case "--out" -> out = Path.of(valueOf(argv, ++i, option));
                case "--" -> {
                    command.addAll(Arrays.asList(argv).subList(i + 1, argv.length));
                    i = argv.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        List<String> missing = new ArrayList<>();
        if (marker == null) {
            missing.add("--marker");
        }
        if (agent == null) {
            missing.add("--agent");
        }
        if (out == null) {
            missing.add("--out");
        }
        if (command.isEmpty()) {
            missing.add("the command after --");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing " + String.join(", ", missing));
        }
        return new Options(runs, marker, agent, also, floors, out, command, false);
    }

    private static String valueOf(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return argv[i];
    }

    public static void main(String[] argv) throws Exception {
        Options options;
        try {
            options = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("StartupProbe: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }
        int runs = options.runs();
        String marker = options.marker();
        String agent = options.agent();
        List<String> also = options.also();
        Path out = options.out();
        List<String> command = options.command();
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<List<Double>> alsoTimes = new ArrayList<>();
        also.forEach(a -> alsoTimes.add(new ArrayList<>()));
        Map<String, List<Double>> floorTimes = new LinkedHashMap<>();
        options.floors().keySet().forEach(f -> floorTimes.put(f, new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            without.add(timeToMarker(command, null, marker));
            with.add(timeToMarker(command, agent, marker));
            for (int a = 0; a < also.size(); a++) {
                alsoTimes.get(a).add(timeToMarker(command, also.get(a), marker));
            }
            for (Map.Entry<String, List<Double>> f : floorTimes.entrySet()) {
                f.getValue().add(timeToMarker(command, options.floors().get(f.getKey()), marker));
            }
        }
        double medianWithout = median(without);
        double medianWith = median(with);
        StringBuilder json = new StringBuilder(String.format(Locale.ROOT,
                "{\"runs\":%d,\"median_without_agent_ms\":%.1f,\"median_with_agent_ms\":%.1f,\"startup_overhead_ms\":%.1f,"
                        + "\"startup_overhead_ratio\":%.3f",
                runs, medianWithout, medianWith, medianWith - medianWithout, medianWith / medianWithout));
        for (int a = 0; a < also.size(); a++) {
            json.append(String.format(Locale.ROOT, ",\"median_also_%d_ms\":%.1f", a + 1, median(alsoTimes.get(a))));
        }
        for (Map.Entry<String, List<Double>> f : floorTimes.entrySet()) {
            double median = median(f.getValue());
            json.append(String.format(Locale.ROOT, ",\"median_floor_%s_ms\":%.1f,\"overhead_floor_%s_ms\":%.1f,"
                    + "\"ratio_floor_%s\":%.3f", f.getKey(), median, f.getKey(), median - medianWithout, f.getKey(),
                    median / medianWithout));
        }
        json.append('}').append(System.lineSeparator());
        Files.writeString(out, json);
        System.out.print(json);
    }

    /** Milliseconds from starting the process to the first standard-output line that contains the marker. */
    static double timeToMarker(List<String> command, String agentFlag, String marker) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        if (agentFlag != null) {
            // several JVM flags in one argument (a CDS archive beside the agent) are split where a flag begins
            cmd.addAll(1, Arrays.asList(agentFlag.trim().split("\\s+(?=-)")));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        long start = System.nanoTime();
        Process p = pb.start();
        double elapsed = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (elapsed < 0 && line.contains(marker)) {
                    elapsed = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        p.waitFor();
        if (elapsed < 0) {
            throw new IllegalStateException("the marker '" + marker + "' never appeared in the output of " + cmd);
        }
        return elapsed;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
