package dev.toolguard.agent.advice;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * A class file with each method it declares made to refuse, for a class that may hold tools and that the installer
 * could not instrument: its first instruction calls {@link GuardBridge#uninstrumentable}, which throws the denial, so
 * the method's own code never runs. Constructors are left alone unless asked for (an instance can be made, none of
 * its methods used; the last resort refuses a framework fuse's constructors), static initializers always, as are
 * methods without code and what the compiler made (bridges call a method that
 * refuses; lambda bodies run only when a method of the class made them; an enum's {@code $values} is its
 * initializer's). Written with ASM alone, with nothing computed but the stack size: the call goes before the first
 * instruction and changes no local, so every stack map frame the compiler wrote stays true.
 */
final class RefusingMethods {

    private static final String BRIDGE = Type.getInternalName(GuardBridge.class);

    private RefusingMethods() {
    }

    /** The refusing class file, or null when the class file cannot be read. */
    static byte[] of(byte[] classFile, String className) {
        return of(classFile, className, null, null, false);
    }

    /**
     * The class file with only some methods refusing: those that carry one of {@code annotations} (descriptors,
     * {@code Lcom/acme/Tool;}) and those whose names {@code named} accepts; every method when both are null; and,
     * with {@code constructors}, every constructor. Null when the class file cannot be read. ASM visits a method's
     * annotations before its code, so the method is known to be one by then. A refusing constructor calls out before
     * its super constructor, which the verifier allows: the call touches no local, {@code this} included.
     */
    static byte[] of(byte[] classFile, String className, java.util.Set<String> annotations,
                     java.util.function.Predicate<String> named, boolean constructors) {
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (RuntimeException unreadable) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor code = super.visitMethod(access, name, descriptor, signature, exceptions);
                boolean constructor = name.equals("<init>");
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC)) != 0
                        || name.equals("<clinit>") || constructor && !constructors) {
                    return code;
                }
                String site = className + "#" + name + descriptor;
                boolean every = annotations == null && named == null || constructor;
                boolean byName = !constructor && named != null && named.test(name);
                return new MethodVisitor(Opcodes.ASM9, code) {
                    private boolean annotated;

                    @Override
                    public net.bytebuddy.jar.asm.AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        annotated |= annotations != null && annotations.contains(annotation);
                        return super.visitAnnotation(annotation, visible);
                    }

                    @Override
                    public void visitCode() {
                        super.visitCode();
                        if (!every && !byName && !annotated) {
                            return;
                        }
                        super.visitLdcInsn(site);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "uninstrumentable",
                                "(Ljava/lang/String;)V", false);
                    }

                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        super.visitMaxs(Math.max(maxStack, 1), maxLocals);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }
}
