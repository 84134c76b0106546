package dev.toolguard.agent.advice;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.instrumentation.prefilter.ClassFileHeader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the last resort reads of a class's super types: their names and the methods they annotate as tools. */
class AncestryTest {

    private static final Set<String> TOOL = Set.of("Ldev/toolguard/api/GuardedTool;");

    interface Tool {
        @GuardedTool(name = "wipe")
        String erase(String path);
    }

    interface Marker {
    }

    abstract static class Base implements Tool, Marker {
        @GuardedTool(name = "ping")
        public String poke(String path) {
            return path;
        }
    }

    abstract static class Middle extends Base {
    }

    static class Leaf extends Middle {
        @Override
        public String erase(String path) {
            return path;
        }

        public String describe() {
            return "leaf";
        }
    }

    static class Unrelated {
    }

    private static Ancestry ancestry() {
        return new Ancestry(new ClassFileHeader.Needles(List.copyOf(TOOL)), TOOL);
    }

    private static byte[] fileOf(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(type.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static Ancestry.Inherited inherited(Ancestry ancestry, ClassLoader loader, Class<?> type) throws IOException {
        ClassFileHeader header = ClassFileHeader.read(fileOf(type), new ClassFileHeader.Needles(List.copyOf(TOOL)));
        return ancestry.of(loader, header);
    }

    @Test
    void everySuperTypeUpTheHierarchyIsNamedAndTheMethodsTheyAnnotateAreFound() throws IOException {
        Ancestry.Inherited leaf = inherited(ancestry(), getClass().getClassLoader(), Leaf.class);

        assertThat(leaf.superTypes()).contains(Middle.class.getName(), Base.class.getName(), Tool.class.getName(),
                Marker.class.getName(), Object.class.getName());
        // erase from the interface two levels up, poke from the abstract class; describe is nobody's tool
        assertThat(leaf.annotatedMethods()).containsExactlyInAnyOrder("erase", "poke");
    }

    @Test
    void aClassWhoseSuperTypesAnnotateNothingInheritsNoTool() throws IOException {
        Ancestry.Inherited unrelated = inherited(ancestry(), getClass().getClassLoader(), Unrelated.class);

        assertThat(unrelated.superTypes()).containsExactly(Object.class.getName());
        assertThat(unrelated.annotatedMethods()).isEmpty();
    }

    @Test
    void eachSuperTypeIsReadOncePerLoaderAndATypeTheLoaderCannotServeEndsItsBranch() throws IOException {
        AtomicInteger reads = new AtomicInteger();
        ClassLoader counting = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public InputStream getResourceAsStream(String name) {
                reads.incrementAndGet();
                // Marker's file is not to be had here: the walk goes on without it
                return name.contains("Marker") ? null : super.getResourceAsStream(name);
            }
        };
        Ancestry ancestry = ancestry();

        Ancestry.Inherited first = inherited(ancestry, counting, Leaf.class);
        int afterFirst = reads.get();
        Ancestry.Inherited second = inherited(ancestry, counting, Leaf.class);

        assertThat(afterFirst).isEqualTo(first.superTypes().size());
        assertThat(reads.get()).as("read again").isEqualTo(afterFirst);
        assertThat(second).isEqualTo(first);
        assertThat(first.superTypes()).contains(Marker.class.getName());
        assertThat(first.annotatedMethods()).containsExactlyInAnyOrder("erase", "poke");
    }

    @Test
    void anUnreadableClassFileHasNoAnnotatedMethods() {
        assertThat(Ancestry.annotatedMethods(new byte[] {1, 2, 3}, TOOL)).isNull();
    }
}
