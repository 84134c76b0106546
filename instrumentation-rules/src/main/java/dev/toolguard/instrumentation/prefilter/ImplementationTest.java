package dev.toolguard.instrumentation.prefilter;

import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The first test of a class as it loads for the sensors on implementations (a JDBC driver's statements and
 * connections, SPEC §18): whether one of its super types, however far up, is one of a few JDK interfaces, whatever the
 * class is called ({@code org.sqlite.Stmt}, {@code acme.db.Conn}). Like {@link ToolPrefilter} it reads only the front
 * of class files ({@link ClassFileHeader}: super class and interface names, no constant-pool search) and finds super
 * types where the class's own loader finds them; what it learns is kept per class loader, so a driver's base classes
 * are read once. A class whose super class is {@code Object} and that implements nothing is decided from its own
 * header alone.
 *
 * <p>Fail closed: a super type whose class file cannot be found or read, or a hierarchy too deep to follow, answers
 * "maybe", and the full match ({@code hasSuperType}) decides. JDK types other than those of the interfaces' own
 * packages are not followed: no other JDK type extends them.
 */
public final class ImplementationTest {

    private static final int MAX_DEPTH = 64;
    private static final ClassFileHeader.Needles NONE = new ClassFileHeader.Needles(java.util.List.of());

    private final Set<String> targets;
    /** The JDK packages of the targets ({@code java.sql.}): their types may extend a target; no other JDK type does. */
    private final Set<String> targetPackages;
    private final ToolPrefilter.ClassFiles classFiles;
    private final Map<ClassLoader, Map<String, Boolean>> known = new WeakHashMap<>();
    private final Map<String, Boolean> knownToBootstrap = new ConcurrentHashMap<>();

    /** @param targets binary names of the interfaces sensed on their implementations ({@code java.sql.Statement}) */
    public ImplementationTest(Set<String> targets, ToolPrefilter.ClassFiles classFiles) {
        this.targets = Set.copyOf(targets);
        this.targetPackages = targets.stream().map(t -> t.substring(0, t.lastIndexOf('.') + 1))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.classFiles = classFiles;
    }

    /**
     * Whether the class being defined from {@code classFile} may implement a target.
     *
     * @return false only when certain that none of its super types is a target
     */
    public boolean mayImplement(ClassLoader loader, String binaryName, byte[] classFile) {
        if (targets.isEmpty()) {
            return false;
        }
        ClassFileHeader header = ClassFileHeader.read(classFile, NONE);
        if (header == null) {
            return true;
        }
        boolean implementing = supersImplement(loader, header, 0);
        // kept, so that its subclasses in this loader (and the full match's question) need not read it again
        memoOf(loader).put(binaryName, implementing);
        return implementing;
    }

    /**
     * What the test answered for a class of that name in that loader: false when it said the class implements no
     * target, true when it said "maybe" or was never asked (then only the full match can say).
     */
    public boolean answeredMaybe(ClassLoader loader, String binaryName) {
        Boolean seen = memoOf(loader).get(binaryName);
        return seen == null || seen;
    }

    private boolean supersImplement(ClassLoader loader, ClassFileHeader header, int depth) {
        if (header.superName() != null && implementing(loader, header.superName(), depth + 1)) {
            return true;
        }
        for (String i : header.interfaceNames()) {
            if (implementing(loader, i, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the type {@code name}, as {@code loader} sees it, is a target or has one among its super types. */
    private boolean implementing(ClassLoader loader, String name, int depth) {
        if (targets.contains(name)) {
            return true;
        }
        boolean jdk = name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.");
        if (jdk && !inTargetPackage(name)) {
            return false;
        }
        if (depth > MAX_DEPTH) {
            return true;
        }
        // the JDK's types are the same for every loader: read once
        Map<String, Boolean> memo = jdk ? knownToBootstrap : memoOf(loader);
        Boolean seen = memo.get(name);
        if (seen != null) {
            return seen;
        }
        byte[] bytes = classFiles.find(loader, name);
        ClassFileHeader header = bytes == null ? null : ClassFileHeader.read(bytes, NONE);
        // a super type that cannot be read cannot be judged here: the full match decides
        boolean implementing = header == null || supersImplement(loader, header, depth);
        memo.put(name, implementing);
        return implementing;
    }

    private boolean inTargetPackage(String name) {
        for (String p : targetPackages) {
            if (name.startsWith(p) && name.indexOf('.', p.length()) < 0) {
                return true;
            }
        }
        return false;
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
