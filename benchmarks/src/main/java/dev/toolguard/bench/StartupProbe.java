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
import java.util.Locale;

/**
 * Start-up cost of the agent: how long a sample app takes from process start to its first tool call, with and
 * without {@code -javaagent}, runs interleaved so that a noisy machine hurts both alike. It writes the difference
 * of the medians ({@code startup_overhead_ms}) and their ratio ({@code startup_overhead_ratio}).
 *
 * <p>{@code --also FLAG} (repeatable) adds further variants to the same interleaved runs, e.g. an older agent jar
 * or the agent with a class-data-sharing archive, each reported as {@code median_also_<i>_ms}: so that two
 * builds are compared within one run on a noisy machine.
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

    public static void main(String[] argv) throws Exception {
        int runs = 7;
        String marker = null;
        String agent = null;
        List<String> also = new ArrayList<>();
        Path out = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--runs" -> runs = Integer.parseInt(argv[++i]);
                case "--marker" -> marker = argv[++i];
                case "--agent" -> agent = argv[++i];
                case "--also" -> also.add(argv[++i]);
                case "--out" -> out = Path.of(argv[++i]);
                case "--" -> {
                    command.addAll(Arrays.asList(argv).subList(i + 1, argv.length));
                    i = argv.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        if (marker == null || agent == null || out == null || command.isEmpty()) {
            System.err.println("usage: StartupProbe --runs N --marker TEXT --agent JVM_FLAG [--also JVM_FLAG]... --out FILE -- java ...");
            System.exit(2);
        }
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<List<Double>> alsoTimes = new ArrayList<>();
        also.forEach(a -> alsoTimes.add(new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            without.add(timeToMarker(command, null, marker));
            with.add(timeToMarker(command, agent, marker));
            for (int a = 0; a < also.size(); a++) {
                alsoTimes.get(a).add(timeToMarker(command, also.get(a), marker));
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
