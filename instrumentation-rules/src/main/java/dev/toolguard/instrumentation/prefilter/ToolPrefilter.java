package dev.toolguard.instrumentation.prefilter;

import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import dev.toolguard.instrumentation.rule.ToolRule;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cheap first test of a class as it loads, before any description of it is built: answers "no tools here" only
 * when {@link ToolRules#types()} certainly does not match the class, and "maybe" otherwise (the full match follows).
 *
 * <p>A class may hold tools when
 * <ul>
 *   <li>its constant pool holds a tool annotation's descriptor (an annotated method of its own), or</li>
 *   <li>a {@code class:} entry of {@code rules.yaml} names it, or</li>
 *   <li>a super class or interface, however far up, declares an annotated method (an override or implementation of
 *       it is a tool, SPEC §13.3) or is the type of an {@code implements:} entry.</li>
 * </ul>
 * The last is decided from the super types' class files, found where the class's own loader finds them (where the
 * full match reads them too), and only their constant pools and super type names are read; what is found is kept per
 * class loader, so a framework's base types are read once. A super type whose class file cannot be found or read,
 * a hierarchy too deep to follow, or a rule of a kind this test does not know make the answer "maybe": the prefilter
 * never decides what it cannot see, the full match does.
 */
public final class ToolPrefilter {

    /** Where the class files of super types come from: the loader's resources, as the full match reads them. */
    @FunctionalInterface
    public interface ClassFiles {
        /** The class file of {@code binaryName} as {@code loader} finds it, or null when there is none. */
        byte[] find(ClassLoader loader, String binaryName);
    }

    /** Deeper than any real hierarchy: a chain this long (or a cycle in broken class files) is not followed. */
    private static final int MAX_DEPTH = 64;

    private final ClassFileHeader.Needles annotationDescriptors;
    private final List<ClassToolRule> classEntries = new ArrayList<>();
    private final Set<String> subtypeTargets = new HashSet<>();
    /** Whether an {@code implements:} entry names a JDK type: then JDK super types must be followed too. */
    private final boolean targetsInJdk;
    /** A rule of a kind not known here: every class is "maybe". */
    private final boolean passesEverything;
    private final ClassFiles classFiles;
    /** Per class loader: whether the type of that name, as the loader sees it, makes its subtypes "maybe". */
    private final Map<ClassLoader, Map<String, Boolean>> known = new WeakHashMap<>();
    private final Map<String, Boolean> knownToBootstrap = new ConcurrentHashMap<>();

    public ToolPrefilter(ToolRules rules, ClassFiles classFiles) {
        this.classFiles = classFiles;
        List<String> descriptors = new ArrayList<>(rules.annotationDescriptors());
        boolean unknownKind = false;
        for (ToolRule r : rules.rules()) {
            if (r instanceof ClassToolRule c) {
                classEntries.add(c);
            } else if (r instanceof SubtypeToolRule s) {
                subtypeTargets.add(s.superType());
            } else if (!(r instanceof AnnotatedToolRule)) {
                unknownKind = true;
            }
        }
        this.annotationDescriptors = new ClassFileHeader.Needles(descriptors);
        this.targetsInJdk = subtypeTargets.stream().anyMatch(ToolRules::isJdkType);
        this.passesEverything = unknownKind;
    }

    /**
     * Whether the class being defined from {@code classFile} may hold tools.
     *
     * @param loader     the class's defining loader, which finds its super types
     * @param binaryName the class's name, {@code com.acme.Tools}
     * @return false only when certain that no rule finds a tool in it
     */
    public boolean mayHoldTools(ClassLoader loader, String binaryName, byte[] classFile) {
        if (passesEverything) {
            return true;
        }
        for (ClassToolRule c : classEntries) {
            if (c.namesClass(binaryName)) {
                return true;
            }
        }
        if (subtypeTargets.contains(binaryName)) {
            return true;
        }
        ClassFileHeader header = ClassFileHeader.read(classFile, annotationDescriptors);
        if (header == null) {
            return true;
        }
        boolean relevant = header.mentions() || supersRelevant(loader, header, 0);
        // kept, so that its subclasses in this loader need not read it again
        memoOf(loader).put(binaryName, relevant);
        return relevant;
    }

    private boolean supersRelevant(ClassLoader loader, ClassFileHeader header, int depth) {
        if (header.superName() != null && relevant(loader, header.superName(), depth + 1)) {
            return true;
        }
        for (String i : header.interfaceNames()) {
            if (relevant(loader, i, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a subtype of the type {@code name} (as {@code loader} sees it) may hold tools through it. */
    private boolean relevant(ClassLoader loader, String name, int depth) {
        if (subtypeTargets.contains(name)) {
            return true;
        }
        boolean jdk = ToolRules.isJdkType(name);
        if (jdk && !targetsInJdk) {
            return false; // no annotation is searched for there, and no entry names a type there
        }
        if (depth > MAX_DEPTH) {
            return true;
        }
        Map<String, Boolean> memo = memoOf(loader);
        Boolean seen = memo.get(name);
        if (seen != null) {
            return seen;
        }
        byte[] bytes = classFiles.find(loader, name);
        ClassFileHeader header = bytes == null ? null : ClassFileHeader.read(bytes, annotationDescriptors);
        // a super type that cannot be read cannot be judged here: the full match decides
        boolean relevant = header == null || (!jdk && header.mentions()) || supersRelevant(loader, header, depth);
        memo.put(name, relevant);
        return relevant;
    }

    private Map<String, Boolean> memoOf(ClassLoader loader) {
        if (loader == null) {
            return knownToBootstrap;
        }
        synchronized (known) {
            return known.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
    }
}
