package dev.toolguard.bench.floor;

import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * The check woven with ASM alone. It calls only the JDK, so it links from any class loader, and it has no branch, so
 * the method's stack map frames stay as they are: {@code Objects.checkIndex(name.equals(System.getProperty(p)) ? 1 : 0, 1)}
 * is written as the boolean {@code equals} returns, passed on as an index.
 */
final class AsmWeaving implements ClassFileTransformer {

    private final String annotation;

    AsmWeaving(String annotation) {
        this.annotation = Needle.descriptorOf(annotation);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new CheckAtEntry(super.visitMethod(access, name, desc, signature, exceptions), name, annotation);
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final class CheckAtEntry extends MethodVisitor {
        private final String method;
        private final String annotation;
        private boolean tool;

        CheckAtEntry(MethodVisitor next, String method, String annotation) {
            super(Opcodes.ASM9, next);
            this.method = method;
            this.annotation = annotation;
        }

        @Override
        public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
            tool |= descriptor.equals(annotation);
            return super.visitAnnotation(descriptor, visible);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (tool) {
                super.visitLdcInsn(method);
                super.visitLdcInsn(FloorAgent.DENY_PROPERTY);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "getProperty",
                        "(Ljava/lang/String;)Ljava/lang/String;", false);
                super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "equals", "(Ljava/lang/Object;)Z", false);
                super.visitInsn(Opcodes.ICONST_1);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "checkIndex", "(II)I", false);
                super.visitInsn(Opcodes.POP);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            // the check needs two stack slots, before the method's own code runs
            super.visitMaxs(tool ? Math.max(maxStack, 2) : maxStack, maxLocals);
        }
    }
}
