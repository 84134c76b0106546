package dev.toolguard.it.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Fault injection from test code (SPEC §13.13: the shipped agent has no switch that injects failures): a copy of
 * the real agent jar with some of its classes taken out, so that the agent fails, with a {@code NoClassDefFoundError}
 * as a bug of ours would, exactly where those classes are first needed.
 */
public final class FaultyAgent {

    /** What the agent's start says when it fails for want of its metrics' class (made early in every start). */
    /** How the stderr line of a start that cannot reach the agent's runtime, and falls back to the last resort, ends. */
    public static final String LAST_RESORT = "; as a last resort every method the class files show to be a tool (its own"
            + " or its super types') and every framework's tool calls are refused";
    /** What the caller of a call that nothing decided reads (SPEC §13.6). */
    public static final String UNDECIDED = "ToolGuard could not decide this call (internal error) [on_error]";
    public static final String START_FAILURE = "NoClassDefFoundError: dev/toolguard/agent/admin/Metrics";
    /** What an engine failure says: the class that checks a call's shape, needed only when deciding. */
    public static final String ENGINE_FAILURE = "NoClassDefFoundError: dev/toolguard/policy/decide/CallShape";

    private FaultyAgent() {
    }

    /** An agent jar whose start fails. */
    public static Path failingToStart(Path dir) throws IOException {
        return without(dir.resolve("agent-failing-to-start.jar"), "dev/toolguard/agent/admin/Metrics");
    }

    /**
     * An agent jar whose launcher cannot reach its runtime at all: {@code AgentRuntime}'s class file is cut short, as
     * in a damaged jar, so loading it is a {@code ClassFormatError} in {@code AgentMain}, before any failed start's
     * guard could be installed.
     */
    public static Path failingBeforeItsRuntime(Path dir) throws IOException {
        return copy(dir.resolve("agent-failing-before-its-runtime.jar"), Set.of(), "dev/toolguard/agent/runtime/AgentRuntime");
    }

    /**
     * An agent jar whose start goes well until ByteBuddy's transformer is installed, which at JVM start happens beside
     * the application: the transformer class ByteBuddy makes first is missing.
     */
    public static Path failingToInstall(Path dir) throws IOException {
        return without(dir.resolve("agent-failing-to-install.jar"),
                "dev/toolguard/shaded/bytebuddy/agent/builder/AgentBuilder$Default$ExecutingTransformer");
    }

    /** An agent jar that starts, but whose engine fails on every call it decides. */
    public static Path failingToDecide(Path dir) throws IOException {
        return without(dir.resolve("agent-failing-to-decide.jar"), "dev/toolguard/policy/decide/CallShape");
    }

    /** A copy of the agent jar at {@code target} without the named classes (internal names, no {@code .class}). */
    static Path without(Path target, String... classes) throws IOException {
        return copy(target, Set.of(classes), null);
    }

    /** A copy of the agent jar without the classes {@code left} out, and with the class {@code cut} cut short. */
    private static Path copy(Path target, Set<String> left, String cut) throws IOException {
        try (JarFile jar = new JarFile(AgentProcess.AGENT_JAR.toFile());
             JarOutputStream out = new JarOutputStream(Files.newOutputStream(target), jar.getManifest())) {
            int removed = 0;
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (name.equals(JarFile.MANIFEST_NAME) || name.equals("META-INF/")) {
                    continue;
                }
                // the agent's own classes lie under toolguard-agent/ in the jar
                String className = name.startsWith("toolguard-agent/") && name.endsWith(".class")
                        ? name.substring("toolguard-agent/".length(), name.length() - ".class".length()) : null;
                if (className != null && left.contains(className)) {
                    removed++;
                    continue;
                }
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = jar.getInputStream(entry)) {
                    if (className != null && className.equals(cut)) {
                        out.write(in.readNBytes(64));
                        removed++;
                    } else {
                        in.transferTo(out);
                    }
                }
                out.closeEntry();
            }
            if (removed != left.size() + (cut == null ? 0 : 1)) {
                throw new IllegalStateException("the agent jar does not hold every class of " + left + " and " + cut);
            }
        }
        return target;
    }
}
