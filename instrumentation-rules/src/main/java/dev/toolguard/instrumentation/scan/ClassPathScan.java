package dev.toolguard.instrumentation.scan;

import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.rule.ToolRule;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What the rules would guard in an application, found in its class files without running it (the {@code tools}
 * command, SPEC §11): every class file of the given jars and directories is described through a type pool, which
 * reads the bytes with ASM and never loads or initialises a class, and is matched by the very {@link ToolRules}
 * the agent instruments with. So the list is what the agent would guard once each class is loaded.
 */
public final class ClassPathScan {

    /**
     * @param tools      every guarded method, ordered by class and method
     * @param misses     the rules-file entries that matched a class but none of its methods
     * @param noClass    the rules-file entries that matched no class at all
     * @param classNames every class scanned, for the nearest names of an entry that matched none
     * @param unreadable classes that could not be described (a super type or annotation missing from the class
     *                   path), each with why
     */
    public record Result(List<ToolMethod> tools, List<ToolRules.Miss> misses, List<ToolRule> noClass,
                         List<String> classNames, List<String> unreadable) {
    }

    private ClassPathScan() {
    }

    /**
     * @param entries    jars and directories of class files, as on a class path
     * @param rules      the rules in force (the built-in modules' annotations and the rules files)
     * @param neverTools classes the agent never instruments (the JDK, the agent itself)
     * @param extra      where class files not on the class path are found too (the JDK's, ToolGuard's own API)
     */
    public static Result scan(List<Path> entries, ToolRules rules, ElementMatcher<TypeDescription> neverTools,
                              ClassFileLocator extra) throws IOException {
        List<ClassFileLocator> locators = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<JarFile> open = new ArrayList<>();
        try {
            for (Path entry : entries) {
                if (Files.isDirectory(entry)) {
                    locators.add(new ClassFileLocator.ForFolder(entry.toFile()));
                    try (Stream<Path> files = Files.walk(entry)) {
                        files.filter(f -> f.toString().endsWith(".class")).forEach(f ->
                                addClassName(entry.relativize(f).toString().replace(entry.getFileSystem().getSeparator(), "/"), names));
                    }
                } else {
                    JarFile jar = new JarFile(entry.toFile());
                    open.add(jar);
                    locators.add(new ClassFileLocator.ForJarFile(jar));
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        addClassName(e.nextElement().getName(), names);
                    }
                }
            }
            locators.add(extra);
            TypePool pool = TypePool.Default.of(new ClassFileLocator.Compound(locators));
            ElementMatcher<TypeDescription> candidates = rules.types();
            List<ToolMethod> tools = new ArrayList<>();
            List<ToolRules.Miss> misses = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            for (String name : names) {
                try {
                    TypeDescription type = pool.describe(name).resolve();
                    if (neverTools.matches(type) || !candidates.matches(type)) {
                        continue;
                    }
                    ToolRules.Found found = rules.find(type);
                    found.tools().forEach(m -> tools.add(m.tool()));
                    misses.addAll(found.misses());
                } catch (RuntimeException e) {
                    unreadable.add(name + ": " + e.getMessage());
                }
            }
            tools.sort(Comparator.comparing(ToolMethod::className).thenComparing(ToolMethod::signature));
            return new Result(List.copyOf(tools), List.copyOf(misses), rules.entriesMatchingNoClass(),
                    List.copyOf(names), List.copyOf(unreadable));
        } finally {
            for (JarFile jar : open) {
                jar.close();
            }
        }
    }

    /** A class file's binary name; {@code module-info}, {@code package-info} and multi-release copies are no classes. */
    private static void addClassName(String path, List<String> names) {
        if (!path.endsWith(".class") || path.startsWith("META-INF/") || path.endsWith("module-info.class")
                || path.endsWith("package-info.class")) {
            return;
        }
        names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
}
