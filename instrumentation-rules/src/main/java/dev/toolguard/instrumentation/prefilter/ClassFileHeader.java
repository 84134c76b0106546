package dev.toolguard.instrumentation.prefilter;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The front of a class file, read without parsing the rest: whether its constant pool holds one of a few given
 * strings, and the names of its super class and interfaces, which follow the constant pool directly. A class holds no
 * method annotated with {@code @Tool} unless the string {@code Ltool/Tool;} is in its constant pool, so this decides
 * most classes before any description of them is built.
 */
public final class ClassFileHeader {

    /** Strings to look for, as the constant pool stores them (modified UTF-8), grouped by length for a cheap test. */
    public static final class Needles {
        private final byte[][] needles;
        private final int minLength;
        private final int maxLength;

        public Needles(List<String> strings) {
            needles = new byte[strings.size()][];
            int min = Integer.MAX_VALUE;
            int max = -1;
            for (int i = 0; i < needles.length; i++) {
                needles[i] = modifiedUtf8(strings.get(i));
                min = Math.min(min, needles[i].length);
                max = Math.max(max, needles[i].length);
            }
            minLength = min;
            maxLength = max;
        }

        boolean isEmpty() {
            return needles.length == 0;
        }

        boolean matches(byte[] b, int offset, int length) {
            if (length < minLength || length > maxLength) {
                return false;
            }
            for (byte[] n : needles) {
                if (n.length == length && java.util.Arrays.equals(n, 0, length, b, offset, offset + length)) {
                    return true;
                }
            }
            return false;
        }

        private static byte[] modifiedUtf8(String s) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 1 && c <= 0x7f) {
                    out.write(c);
                } else if (c <= 0x7ff) {
                    out.write(0xc0 | (c >> 6));
                    out.write(0x80 | (c & 0x3f));
                } else {
                    out.write(0xe0 | (c >> 12));
                    out.write(0x80 | ((c >> 6) & 0x3f));
                    out.write(0x80 | (c & 0x3f));
                }
            }
            return out.toByteArray();
        }
    }

    private final boolean mentions;
    private final String superName;
    private final String[] interfaceNames;

    private ClassFileHeader(boolean mentions, String superName, String[] interfaceNames) {
        this.mentions = mentions;
        this.superName = superName;
        this.interfaceNames = interfaceNames;
    }

    /** Whether one of the needles is a string of the constant pool. */
    public boolean mentions() {
        return mentions;
    }

    /** The super class's binary name ({@code com.acme.Base}), or null for {@code java.lang.Object} and modules. */
    public String superName() {
        return superName;
    }

    /** The binary names of the interfaces the class itself declares. */
    public String[] interfaceNames() {
        return interfaceNames;
    }

    /**
     * Reads the header of {@code classFile}.
     *
     * @return null when the bytes are not a well-formed class file header (the caller must then not conclude anything)
     */
    public static ClassFileHeader read(byte[] classFile, Needles needles) {
        try {
            return parse(classFile, needles);
        } catch (RuntimeException malformed) {
            // an index out of the array, a count that does not add up: nothing can be concluded from these bytes
            return null;
        }
    }

    private static ClassFileHeader parse(byte[] b, Needles needles) {
        if (b.length < 10 || u4(b, 0) != 0xCAFEBABE) {
            return null;
        }
        int count = u2(b, 8);
        // where each entry starts, so that the class names after the pool can be looked up
        int[] at = new int[count];
        boolean mentions = false;
        boolean lookForNeedles = !needles.isEmpty();
        int p = 10;
        for (int i = 1; i < count; i++) {
            at[i] = p;
            int tag = b[p] & 0xff;
            switch (tag) {
                case 1 -> { // Utf8
                    int length = u2(b, p + 1);
                    if (lookForNeedles && !mentions && needles.matches(b, p + 3, length)) {
                        mentions = true;
                    }
                    p += 3 + length;
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5; // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                case 5, 6 -> { // Long, Double: two slots
                    p += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
                case 15 -> p += 4; // MethodHandle
                default -> {
                    return null;
                }
            }
        }
        if (p + 8 > b.length) {
            return null;
        }
        int superIndex = u2(b, p + 4);
        int interfaces = u2(b, p + 6);
        String[] names = new String[interfaces];
        for (int i = 0; i < interfaces; i++) {
            names[i] = className(b, at, u2(b, p + 8 + 2 * i));
        }
        return new ClassFileHeader(mentions, superIndex == 0 ? null : className(b, at, superIndex), names);
    }

    /** The binary name a CONSTANT_Class entry names. */
    private static String className(byte[] b, int[] at, int classIndex) {
        int classAt = at[classIndex];
        if ((b[classAt] & 0xff) != 7) {
            throw new IllegalArgumentException("not a class entry");
        }
        int utf8At = at[u2(b, classAt + 1)];
        if ((b[utf8At] & 0xff) != 1) {
            throw new IllegalArgumentException("not a Utf8 entry");
        }
        int length = u2(b, utf8At + 1);
        // class names are nearly always ASCII; the JDK's decoder reads modified UTF-8 as UTF-8 for all but NUL and
        // supplementary characters, which no class name of a tool-bearing hierarchy needs to be told apart by
        return new String(b, utf8At + 3, length, StandardCharsets.UTF_8).replace('/', '.');
    }

    private static int u2(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static int u4(byte[] b, int i) {
        return (u2(b, i) << 16) | u2(b, i + 2);
    }
}
