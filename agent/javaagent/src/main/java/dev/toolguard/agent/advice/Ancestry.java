package dev.toolguard.agent.advice;

import dev.toolguard.instrumentation.prefilter.ClassFileHeader;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a class inherits, read from class files alone, for {@link LastResort}: the names of all its super types, and
 * the names of the methods they annotate as tools. Without ByteBuddy or the agent's runtime (the last resort runs
 * when they cannot be had), each super type's class file is read as a resource through the loader of the class being
 * defined, its header for its own super types, and, only when its constant pool mentions a tool annotation, its
 * methods. What a loader's type shows is kept per loader (held weakly), so a hierarchy is read once.
 */
final class Ancestry {

    /** What a class inherits: super types by binary name, and the names of methods annotated as tools up there. */
    record Inherited(Set<String> superTypes, Set<String> annotatedMethods) {
    }

    /** One type's file, as far as the walk needs it: its direct super types and its annotated methods' names. */
    private record TypeFile(List<String> superTypes, Set<String> annotatedMethods) {
        static final TypeFile UNREADABLE = new TypeFile(List.of(), Set.of());
    }

    /** A hierarchy deeper or wider than this is not walked further: the last resort must not stall a class load. */
    private static final int MOST_TYPES = 256;

    private final ClassFileHeader.Needles mentions;
    private final Set<String> annotations;
    private final Map<ClassLoader, Map<String, TypeFile>> read = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * @param mentions    the tool annotations' descriptors as constant-pool needles
     * @param annotations the same descriptors ({@code Lcom/acme/Tool;})
     */
    Ancestry(ClassFileHeader.Needles mentions, Set<String> annotations) {
        this.mentions = mentions;
        this.annotations = annotations;
    }

    /** What the class whose header is {@code header}, loaded by {@code loader}, inherits. */
    Inherited of(ClassLoader loader, ClassFileHeader header) {
        Map<String, TypeFile> files = read.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        Set<String> supers = new LinkedHashSet<>();
        Set<String> methods = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(directSuperTypes(header));
        while (!next.isEmpty() && supers.size() < MOST_TYPES) {
            String type = next.pop();
            if (!supers.add(type)) {
                continue;
            }
            // not computeIfAbsent: reading a resource may load a class, whose transformation comes back here
            TypeFile file = files.get(type);
            if (file == null) {
                file = read(loader, type);
                files.putIfAbsent(type, file);
            }
            methods.addAll(file.annotatedMethods());
            next.addAll(file.superTypes());
        }
        return new Inherited(supers, methods);
    }

    private TypeFile read(ClassLoader loader, String type) {
        byte[] bytes;
        try (InputStream in = loader.getResourceAsStream(type.replace('.', '/') + ".class")) {
            if (in == null) {
                return TypeFile.UNREADABLE;
            }
            bytes = in.readAllBytes();
        } catch (IOException | RuntimeException unreadable) {
            return TypeFile.UNREADABLE;
        }
        ClassFileHeader header = ClassFileHeader.read(bytes, mentions);
        if (header == null) {
            return TypeFile.UNREADABLE;
        }
        Set<String> annotated = header.mentions() ? annotatedMethods(bytes, annotations) : Set.of();
        return new TypeFile(directSuperTypes(header), annotated == null ? Set.of() : annotated);
    }

    private static List<String> directSuperTypes(ClassFileHeader header) {
        List<String> direct = new java.util.ArrayList<>(List.of(header.interfaceNames()));
        if (header.superName() != null) {
            direct.add(header.superName());
        }
        return direct;
    }

    /** The names of the methods of {@code classFile} that carry one of {@code annotations}; null when unreadable. */
    static Set<String> annotatedMethods(byte[] classFile, Set<String> annotations) {
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (RuntimeException unreadable) {
            return null;
        }
        Set<String> names = new HashSet<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        if (annotations.contains(annotation)) {
                            names.add(name);
                        }
                        return null;
                    }
                };
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return names;
    }
}
