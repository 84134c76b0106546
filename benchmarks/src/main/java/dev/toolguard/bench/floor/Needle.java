package dev.toolguard.bench.floor;

import java.nio.charset.StandardCharsets;

/** An annotation's descriptor, looked for in a class file's bytes: a class that never names it holds no tool. */
final class Needle {

    private final byte[] descriptor;

    Needle(String annotation) {
        this.descriptor = ("L" + annotation.replace('.', '/') + ";").getBytes(StandardCharsets.ISO_8859_1);
    }

    String descriptor() {
        return new String(descriptor, StandardCharsets.ISO_8859_1);
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
