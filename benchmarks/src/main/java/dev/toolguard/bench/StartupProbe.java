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
 * Start-up cost of the agent: how long the plain sample app takes from process start to its first tool
 * call, with and without {@code -javaagent}, runs interleaved so that a noisy machine hurts both alike.
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
        Path out = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--runs" -> runs = Integer.parseInt(argv[++i]);
                case "--marker" -> marker = argv[++i];
                case "--agent" -> agent = argv[++i];
                case "--out" -> out = Path.of(argv[++i]);
                case "--" -> {
                    command.addAll(Arrays.asList(argv).subList(i + 1, argv.length));
                    i = argv.length;
                }
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        if (marker == null || agent == null || out == null || command.isEmpty()) {
            System.err.println("usage: StartupProbe --runs N --marker TEXT --agent JVM_FLAG --out FILE -- java ...");
            System.exit(2);
        }
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            without.add(timeToMarker(command, null, marker));
            with.add(timeToMarker(command, agent, marker));
        }
        double medianWithout = median(without);
        double medianWith = median(with);
        String json = String.format(Locale.ROOT,
                "{\"runs\":%d,\"median_without_agent_ms\":%.1f,\"median_with_agent_ms\":%.1f,\"startup_overhead_ms\":%.1f}%n",
                runs, medianWithout, medianWith, medianWith - medianWithout);
        Files.writeString(out, json);
        System.out.print(json);
    }

    /** Milliseconds from starting the process to the first standard-output line that contains the marker. */
    static double timeToMarker(List<String> command, String agentFlag, String marker) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(command);
        if (agentFlag != null) {
            cmd.add(1, agentFlag);
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
