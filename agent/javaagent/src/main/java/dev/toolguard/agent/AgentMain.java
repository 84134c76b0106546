package dev.toolguard.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarFile;

/**
 * The agent's entry points: {@code premain} for {@code -javaagent:}, {@code agentmain} for {@code attach},
 * {@code main} for the command line. This package alone is loaded by the application's system class loader.
 *
 * <p>First the API classes go onto the bootstrap class path, before anything here touches them, so that the
 * application's classes (of any class loader) and the agent meet on one {@code ToolGuard} and one bridge.
 * Then the runtime starts in the agent's own class loader ({@link AgentClassLoader}). A failure to start is said
 * on standard error and never thrown: the host must run.
 */
public final class AgentMain {

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private AgentMain() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /** The command line ({@code java -jar toolguard-agent.jar ...}), run in the agent's own class loader. */
    public static void main(String[] args) throws Throwable {
        Path agentJar = agentJar();
        ClassLoader agent = agentJar == null ? AgentMain.class.getClassLoader() : new AgentClassLoader(agentJar);
        Thread.currentThread().setContextClassLoader(agent);
        try {
            Class.forName("dev.toolguard.agent.cli.Main", true, agent).getMethod("main", String[].class)
                    .invoke(null, (Object) args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        if (!STARTED.compareAndSet(false, true)) {
            System.err.println("toolguard: the agent is already running in this JVM; not starting it again");
            return;
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        ClassLoader agent = null;
        try {
            // Our relocated ByteBuddy reads its own copy of "net.bytebuddy.safe"; set, it never reaches for
            // sun.misc.Unsafe, which JDK 24+ warns about on stderr. The application's ByteBuddy is untouched.
            System.setProperty("dev.toolguard.shaded.bytebuddy.safe", "true");
            agent = AgentMain.class.getClassLoader(); // run from classes (a test): all on the class path
            Path agentJar = agentJar();
            if (agentJar != null) {
                appendApiToBootstrap(agentJar, inst);
                agent = new AgentClassLoader(agentJar);
            }
            // the threads the agent starts inherit it, and libraries that look resources up through it find ours
            thread.setContextClassLoader(agent);
            Class.forName("dev.toolguard.agent.runtime.AgentRuntime", true, agent)
                    .getMethod("start", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, attached);
        } catch (Exception | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e;
            String lastResort = lastResort(agent, inst, args);
            System.err.println(lastResort.startsWith(LAST_RESORT)
                    ? "toolguard: the agent failed to start: " + cause + "; " + lastResort
                    : "toolguard: the agent failed to start, so no tool is guarded: " + cause + "; then " + lastResort);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /** How the stderr line of a start that fell back to the last resort goes on. */
    private static final String LAST_RESORT = "as a last resort every method the class files show to be a tool"
            + " (its own or its super types') and every framework's tool calls are refused";

    /**
     * When the runtime cannot be reached, each method the class files show to be a tool is defined refusing
     * ({@code LastResort}, in the agent's loader): what is in place when it is, else why it is not.
     */
    private static String lastResort(ClassLoader agent, Instrumentation inst, String args) {
        if (agent == null) {
            return "the agent's class loader could not be made";
        }
        try {
            int unrefused = (Integer) Class.forName("dev.toolguard.agent.advice.LastResort", true, agent)
                    .getMethod("install", Instrumentation.class, String.class).invoke(null, inst, args);
            return unrefused == 0 ? LAST_RESORT : LAST_RESORT + " (" + unrefused
                    + " classes loaded before the agent could not be retransformed and are not guarded)";
        } catch (Exception | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e;
            return cause.toString();
        }
    }

    /** Whether the bootstrap loader already finds the API, from an {@code -Xbootclasspath/a:} given to the JVM. */
    private static boolean apiOnBootstrapPath() {
        try {
            Class.forName("dev.toolguard.api.internal.GuardBridge", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** The agent jar this class was loaded from, or null when it runs from classes (the agent's own tests). */
    private static Path agentJar() throws URISyntaxException {
        java.security.CodeSource source = AgentMain.class.getProtectionDomain().getCodeSource();
        if (source == null) {
            // loaded by the bootstrap loader (the jar was given to -Xbootclasspath/a): where the class file lies
            java.net.URL self = ClassLoader.getSystemResource(AgentMain.class.getName().replace('.', '/') + ".class");
            String url = self == null ? "" : self.toString();
            if (!url.startsWith("jar:") || !url.contains("!/")) {
                return null;
            }
            return Path.of(new java.net.URI(url.substring("jar:".length(), url.indexOf("!/"))));
        }
        Path location = Path.of(source.getLocation().toURI());
        return Files.isRegularFile(location) ? location : null;
    }

    /**
     * Appends the agent jar to the bootstrap path. Its root holds the API and this launcher alone (the agent
     * itself lies under {@link AgentClassLoader#PREFIX}, which no class loader but the agent's reads classes
     * from), so the bootstrap loader gains the API and nothing else: no copy of it is written anywhere.
     */
    private static void appendApiToBootstrap(Path agentJar, Instrumentation inst) throws IOException {
        if (apiOnBootstrapPath()) {
            // the JVM was started with -Xbootclasspath/a:<agent jar> (the class-data-sharing recipe of
            // docs/performance.md): appending at run time would turn sharing off for every non-boot class
            return;
        }
        JarFile jar = new JarFile(agentJar.toFile());
        if (!AgentClassLoader.isolates(jar)) {
            jar.close();
            throw new IOException(agentJar + " is not laid out as a ToolGuard agent jar (no " + AgentClassLoader.PREFIX + ")");
        }
        inst.appendToBootstrapClassLoaderSearch(jar);
    }
}
