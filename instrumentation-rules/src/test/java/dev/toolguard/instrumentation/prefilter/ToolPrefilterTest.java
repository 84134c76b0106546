package dev.toolguard.instrumentation.prefilter;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.ParameterNaming;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import dev.toolguard.instrumentation.rule.ToolRule;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ToolPrefilterTest {

    // --- fixtures: what a tool can look like, and what a class without tools looks like -----------------------------

    /** Lives, in the adversarial test, only in a jar of its own: its implementation's bytes never name the annotation. */
    public interface RemoteTools {
        @GuardedTool(name = "remote_wipe")
        String wipe(String what);
    }

    public static class RemoteToolsImpl implements RemoteTools {
        @Override
        public String wipe(String what) {
            return what;
        }
    }

    /** Holds no method of its own: tools reach its subclasses through it. */
    public abstract static class MiddleOfTheRoad implements RemoteTools {
    }

    public static class FarDown extends MiddleOfTheRoad {
        @Override
        public String wipe(String what) {
            return what;
        }
    }

    public interface Converter<T> {
        @GuardedTool(name = "convert")
        T convert(T in);
    }

    /** Compiled with a bridge method {@code Object convert(Object)}; neither method carries the annotation. */
    public static class StringConverter implements Converter<String> {
        @Override
        public String convert(String in) {
            return in;
        }
    }

    public abstract static class GenericBase<T> {
        @GuardedTool(name = "take")
        public void take(T value) {
        }
    }

    public static class StringTaker extends GenericBase<String> {
        @Override
        public void take(String value) {
        }
    }

    public static class OwnTools {
        @GuardedTool(name = "own")
        public void own() {
        }
    }

    @Retention(RetentionPolicy.CLASS)
    @interface Invisible {
    }

    public static class InvisiblyAnnotated {
        @Invisible
        public void run() {
        }
    }

    public static class Plain implements Comparable<Plain>, Runnable {
        @Override
        public int compareTo(Plain o) {
            return 0;
        }

        @Override
        public void run() {
        }
    }

    public static class PlainBase {
        public void helper() {
        }
    }

    public static class PlainChild extends PlainBase implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    public static class Worker extends Thread {
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static ToolRules rules(ToolRule... rules) {
        return new ToolRules(List.of(rules), ParameterNaming.COMPILED_NAMES);
    }

    private static final ToolRule GUARDED = AnnotatedToolRule.of("guarded-tool", GuardedTool.class.getName());

    /** The class files a loader finds as resources, counting the lookups. */
    private static final class Resources implements ToolPrefilter.ClassFiles {
        final AtomicInteger lookups = new AtomicInteger();

        @Override
        public byte[] find(ClassLoader loader, String binaryName) {
            lookups.incrementAndGet();
            ClassLoader l = loader == null ? ClassLoader.getPlatformClassLoader() : loader;
            try (InputStream in = l.getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
                return in == null ? null : in.readAllBytes();
            } catch (IOException e) {
                return null;
            }
        }
    }

    private static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    private static boolean mayHold(ToolPrefilter p, Class<?> c) throws IOException {
        return p.mayHoldTools(ToolPrefilterTest.class.getClassLoader(), c.getName(), bytesOf(c));
    }

    // --- tests ------------------------------------------------------------------------------------------------------

    @Test
    void aClassWithAnAnnotatedMethodOfItsOwnMayHoldTools() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
        assertThat(mayHold(p, OwnTools.class)).isTrue();
    }

    @Test
    void aClassWhoseHierarchyNamesNoToolIsPassedOver() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
        assertThat(mayHold(p, Plain.class)).isFalse();
        assertThat(mayHold(p, PlainChild.class)).isFalse();
        assertThat(mayHold(p, Worker.class)).as("a JDK super class holds no tool annotation").isFalse();
    }

    @Test
    void anImplementationOfAnAnnotatedInterfaceInAnotherJarMayHoldTools(@TempDir Path dir) throws IOException {
        // the interface's class file is only in its own jar, seen by the implementation's loader through its parent
        Path jar = dir.resolve("remote-api.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(RemoteTools.class.getName().replace('.', '/') + ".class"));
            j.write(bytesOf(RemoteTools.class));
            j.closeEntry();
        }
        byte[] impl = bytesOf(RemoteToolsImpl.class);
        assertThat(new String(impl, java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("the implementation's own bytes do not name the annotation").doesNotContain("GuardedTool");
        try (URLClassLoader api = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             URLClassLoader app = new URLClassLoader(new URL[0], api)) {
            ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
            assertThat(p.mayHoldTools(app, RemoteToolsImpl.class.getName(), impl)).isTrue();
        }
        // where the interface cannot be read at all, nothing can be concluded: maybe, and the full match decides
        try (URLClassLoader blind = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
            assertThat(p.mayHoldTools(blind, RemoteToolsImpl.class.getName(), impl)).isTrue();
        }
    }

    @Test
    void toolsReachThroughAMiddleClassWithoutMethods() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
        assertThat(mayHold(p, FarDown.class)).isTrue();
    }

    @Test
    void genericOverridesWithBridgeMethodsMayHoldTools() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
        assertThat(StringConverter.class.getDeclaredMethods()).anyMatch(java.lang.reflect.Method::isBridge);
        assertThat(mayHold(p, StringConverter.class)).isTrue();
        assertThat(mayHold(p, StringTaker.class)).isTrue();
    }

    @Test
    void anAnnotationKeptOnlyInTheClassFileCounts() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(new AnnotatedToolRule("rules", Invisible.class.getName(), null, null,
                null, List.of())), new Resources());
        assertThat(mayHold(p, InvisiblyAnnotated.class)).isTrue();
        assertThat(mayHold(p, OwnTools.class)).as("another annotation is no tool of this rule").isFalse();
    }

    @Test
    void aRulesFileClassGlobIsMatchedByNameAlone() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED, new ClassToolRule("com.acme.**.Crm*", "*", null, List.of())),
                new Resources());
        byte[] plain = bytesOf(Plain.class);
        ClassLoader loader = getClass().getClassLoader();
        assertThat(p.mayHoldTools(loader, "com.acme.sales.crm.CrmClient", plain)).isTrue();
        assertThat(p.mayHoldTools(loader, "com.acme.sales.Billing", plain)).isFalse();
        assertThat(p.mayHoldTools(loader, "org.acme.CrmClient", plain)).isFalse();
    }

    @Test
    void aRulesFileImplementsEntryFollowsTheHierarchyIntoTheJdk() throws IOException {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED, new SubtypeToolRule("java.lang.Runnable", "run", null,
                List.of())), new Resources());
        assertThat(mayHold(p, Plain.class)).as("implements Runnable itself").isTrue();
        assertThat(mayHold(p, Worker.class)).as("Thread implements Runnable").isTrue();
        assertThat(mayHold(p, PlainChild.class)).isFalse();
    }

    @Test
    void brokenBytesAreNeverPassedOver() {
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED), new Resources());
        ClassLoader loader = getClass().getClassLoader();
        assertThat(p.mayHoldTools(loader, "x.Broken", new byte[] {(byte) 0xCA, (byte) 0xFE})).isTrue();
        assertThat(p.mayHoldTools(loader, "x.Broken", new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE,
                0, 0, 0, 61, 0, 5, 99})).isTrue();
    }

    @Test
    void superTypesAreReadOncePerLoader() throws IOException {
        Resources files = new Resources();
        ToolPrefilter p = new ToolPrefilter(rules(GUARDED), files);
        mayHold(p, PlainChild.class);
        int first = files.lookups.get();
        assertThat(first).isPositive();
        mayHold(p, PlainChild.class);
        mayHold(p, PlainBase.class);
        assertThat(files.lookups.get()).isEqualTo(first);
    }

    /**
     * The prefilter's promise, over every class of this module's tests and main code: whenever the full match finds a
     * type that may hold tools, the prefilter said maybe. And it passes a good share over, or it would be no use.
     */
    @Test
    void neverPassesOverAClassTheFullMatchFinds() throws Exception {
        ToolRules rules = rules(GUARDED, new AnnotatedToolRule("rules", Invisible.class.getName(), null, null, null,
                List.of()), new SubtypeToolRule("java.util.function.Supplier", "get", null, List.of()));
        ToolPrefilter p = new ToolPrefilter(rules, new Resources());
        ClassLoader loader = getClass().getClassLoader();
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        List<Path> roots = List.of(Path.of(ToolPrefilterTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                Path.of(ToolRules.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        int matched = 0;
        int passedOver = 0;
        List<String> missed = new ArrayList<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
                    String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    TypeDescription type = pool.describe(name).resolve();
                    boolean full = rules.types().matches(type);
                    boolean maybe = p.mayHoldTools(loader, name, Files.readAllBytes(f));
                    if (full) {
                        matched++;
                        if (!maybe) {
                            missed.add(name);
                        }
                    } else if (!maybe) {
                        passedOver++;
                    }
                }
            }
        }
        assertThat(missed).isEmpty();
        assertThat(matched).as("the fixtures hold tools").isGreaterThanOrEqualTo(8);
        assertThat(passedOver).as("most classes without tools are passed over").isGreaterThan(20);
    }
}
