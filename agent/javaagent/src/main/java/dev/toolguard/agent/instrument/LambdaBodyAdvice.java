package dev.toolguard.agent.instrument;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

import java.util.HashMap;
import java.util.Map;

/**
 * Applies advice to the declared methods that match, synthetic ones included. {@code Advice.on(...)} only sees
 * the methods a Byte Buddy builder does not ignore, and by default it ignores synthetic methods, which is what
 * the body of a lambda is.
 */
public final class LambdaBodyAdvice extends AsmVisitorWrapper.AbstractBase {

    private final ElementMatcher<? super MethodDescription> methods;
    private final Advice advice;

    public LambdaBodyAdvice(ElementMatcher<? super MethodDescription> methods, Advice advice) {
        this.methods = methods;
        this.advice = advice;
    }

    @Override
    public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
                             Implementation.Context implementationContext, TypePool typePool,
                             FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> ignoredByBuilder,
                             int writerFlags, int readerFlags) {
        Map<String, MethodDescription> advised = new HashMap<>();
        for (MethodDescription m : instrumentedType.getDeclaredMethods().filter(methods)) {
            advised.put(m.getInternalName() + m.getDescriptor(), m);
        }
        return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                MethodDescription method = advised.get(name + descriptor);
                return method == null || visitor == null ? visitor
                        : advice.wrap(instrumentedType, method, visitor, implementationContext, typePool,
                                writerFlags, readerFlags);
            }
        };
    }
}
