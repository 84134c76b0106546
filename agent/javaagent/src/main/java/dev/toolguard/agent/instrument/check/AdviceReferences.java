package dev.toolguard.agent.instrument.check;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What an advice class needs of the framework it is inlined into: every class, method and field of the framework
 * its bytecode names (in instructions and in its methods' signatures), read from the advice's class file. Once
 * inlined, a missing one would be a {@code NoSuchMethodError} inside the application's method; checked first, it
 * is a mismatch reported before any call (OpenTelemetry calls this muzzle).
 *
 * <p>References to the JDK, to ToolGuard's bootstrap API and to the advice itself need no check.
 */
public final class AdviceReferences {

    /** One thing the advice names: a class, or a member of one. */
    public record Reference(Kind kind, String owner, String name, String descriptor) {

        public enum Kind { TYPE, METHOD, FIELD }

        /** {@code McpSchema$CallToolResult#builder()} as a person reads it. */
        @Override
        public String toString() {
            String type = owner.replace('/', '.');
            return switch (kind) {
                case TYPE -> type;
                case FIELD -> type + "#" + name;
                case METHOD -> type + "#" + name + descriptor;
            };
        }
    }

    private AdviceReferences() {
    }

    /** The references of the advice class {@code adviceName}, read through {@code agent} (the agent's class loader). */
    public static Set<Reference> of(String adviceName, ClassLoader agent) throws IOException {
        String self = adviceName.replace('.', '/');
        try (InputStream in = agent.getResourceAsStream(self + ".class")) {
            if (in == null) {
                throw new IOException("no class file for advice " + adviceName);
            }
            Set<Reference> out = new LinkedHashSet<>();
            new ClassReader(in).accept(new ClassVisitor(OpenedClassReader.ASM_API) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    descriptorTypes(descriptor, out, self);
                    return new MethodVisitor(OpenedClassReader.ASM_API) {
                        @Override
                        public void visitMethodInsn(int opcode, String owner, String mName, String mDescriptor,
                                                    boolean isInterface) {
                            add(new Reference(Reference.Kind.METHOD, owner, mName, mDescriptor), out, self);
                            descriptorTypes(mDescriptor, out, self);
                        }

                        @Override
                        public void visitFieldInsn(int opcode, String owner, String fName, String fDescriptor) {
                            add(new Reference(Reference.Kind.FIELD, owner, fName, fDescriptor), out, self);
                        }

                        @Override
                        public void visitTypeInsn(int opcode, String type) {
                            add(type(type), out, self);
                        }

                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                                add(type(t.getInternalName()), out, self);
                            }
                        }
                    };
                }

                @Override
                public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                    return null;
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return out;
        }
    }

    private static Reference type(String internalName) {
        String name = internalName;
        while (name.startsWith("[")) {
            name = name.substring(1);
        }
        if (name.startsWith("L") && name.endsWith(";")) {
            name = name.substring(1, name.length() - 1);
        }
        return new Reference(Reference.Kind.TYPE, name, null, null);
    }

    private static void descriptorTypes(String descriptor, Set<Reference> out, String self) {
        Type method = Type.getMethodType(descriptor);
        add(elementType(method.getReturnType()), out, self);
        for (Type t : method.getArgumentTypes()) {
            add(elementType(t), out, self);
        }
    }

    private static Reference elementType(Type t) {
        Type e = t.getSort() == Type.ARRAY ? t.getElementType() : t;
        return e.getSort() == Type.OBJECT ? type(e.getInternalName()) : null;
    }

    private static void add(Reference r, Set<Reference> out, String self) {
        if (r == null || r.owner().startsWith("[")) {
            return;
        }
        String o = r.owner();
        if (o.equals(self) || o.startsWith("java/") || o.startsWith("jdk/") || o.startsWith("sun/")
                || o.startsWith("dev/toolguard/api/")) {
            return;
        }
        out.add(r);
    }
}
