package dev.toolguard.bench.floor;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;

/**
 * An annotation's descriptor, looked for in a class file's bytes: a class that never names it holds no tool. It is the
 * floor agent's first test, in front of every kind of weaving, as ToolGuard puts its own in front of its transformer.
 */
final class Needle {

    private final byte[] descriptor;

    Needle(String annotation) {
        this.descriptor = descriptorOf(annotation).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code com.acme.Tool} as a class file names it: {@code Lcom/acme/Tool;}. */
    static String descriptorOf(String annotation) {
        return "L" + annotation.replace('.', '/') + ";";
    }

    /** The weaving, given only the classes whose bytes hold the descriptor. */
    ClassFileTransformer before(ClassFileTransformer weaving) {
        return new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                                    byte[] classFile) throws IllegalClassFormatException {
                return className == null || !in(classFile) ? null
                        : weaving.transform(loader, className, redefined, domain, classFile);
            }
        };
    }

    boolean in(byte[] classFile) {
        byte first = descriptor[0];
        outer:
        for (int i = 0, last = classFile.length - descriptor.length; i <= last; i++) {
            if (classFile[i] != first) {
                continue;
            }
            for (int j = 1; j < descriptor.length; j++) {
                if (classFile[i + j] != descriptor[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
