package dev.toolguard.agent.advice;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Whether a failure to describe a class as it loads is one the JVM shares: ByteBuddy could not read a type
 * ({@link TypePool.Resolution.NoSuchTypeException}) that is one of the class's super types (read from class files,
 * transitively) and has no class file in its loader. The JVM must load every super type to define a class, so such a
 * class is not defined either and nothing of it is left unguarded. Any other missing type (a parameter's, a
 * field's, an annotation's) is one the JVM resolves only when used: that class is defined, and its failure counts.
 */
final class MissingSuperType {

    /** How many super types are read at most: deeper hierarchies are taken as not proven. */
    private static final int MOST_READ = 64;

    private MissingSuperType() {
    }

    /**
     * The missing super type's name, or null when the failure is not that (or it cannot be shown from class files).
     *
     * @param classFiles what reads a class file from a loader ({@code null} when it has none)
     */
    static String of(String typeName, ClassLoader loader, Throwable failure,
                     BiFunction<ClassLoader, String, byte[]> classFiles) {
        String missing = null;
        for (Throwable t = failure; t != null && missing == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TypePool.Resolution.NoSuchTypeException n) {
                missing = n.getName();
            }
        }
        if (missing == null || missing.equals(typeName) || classFiles.apply(loader, missing) != null) {
            return null;
        }
        Deque<String> toRead = new ArrayDeque<>();
        toRead.add(typeName);
        Set<String> read = new HashSet<>();
        while (!toRead.isEmpty() && read.size() < MOST_READ) {
            String name = toRead.poll();
            if (!read.add(name)) {
                continue;
            }
            byte[] file = classFiles.apply(loader, name);
            if (file == null) {
                continue;
            }
            ClassReader reader;
            try {
                reader = new ClassReader(file);
            } catch (RuntimeException unreadable) {
                return null;
            }
            String superName = reader.getSuperName();
            if (superName != null) {
                toRead.add(superName.replace('/', '.'));
            }
            for (String i : reader.getInterfaces()) {
                toRead.add(i.replace('/', '.'));
            }
            if (toRead.contains(missing)) {
                return missing;
            }
        }
        return null;
    }
}
