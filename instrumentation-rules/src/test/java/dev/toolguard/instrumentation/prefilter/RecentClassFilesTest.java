package dev.toolguard.instrumentation.prefilter;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ParameterNaming;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each super type is read once by the two first tests of a loading class, and only recent reads are kept. */
class RecentClassFilesTest {

    private final List<String> reads = new ArrayList<>();
    private final ToolPrefilter.ClassFiles counting = (loader, name) -> {
        reads.add(name);
        return name.startsWith("missing.") ? null : name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    };
    private final ClassLoader loader = new URLClassLoader(new URL[0], null);

    @Test
    void theSecondReadOfATypeInTheSameLoaderIsServedFromTheFirst() {
        RecentClassFiles files = new RecentClassFiles(counting);

        byte[] first = files.find(loader, "com.acme.Base");
        byte[] second = files.find(loader, "com.acme.Base");

        assertThat(second).isSameAs(first);
        assertThat(reads).containsExactly("com.acme.Base");
    }

    @Test
    void anotherLoadersTypeOfTheSameNameIsReadThroughThatLoader() {
        RecentClassFiles files = new RecentClassFiles(counting);
        ClassLoader other = new URLClassLoader(new URL[0], null);

        files.find(loader, "com.acme.Base");
        files.find(other, "com.acme.Base");
        files.find(null, "com.acme.Base");
        files.find(null, "com.acme.Base");

        assertThat(reads).hasSize(4);
    }

    @Test
    void aTypeThatCouldNotBeReadIsAskedForAgain() {
        RecentClassFiles files = new RecentClassFiles(counting);

        assertThat(files.find(loader, "missing.Base")).isNull();
        assertThat(files.find(loader, "missing.Base")).isNull();

        assertThat(reads).containsExactly("missing.Base", "missing.Base");
    }

    @Test
    void onlyTheLastFewReadsAreKept() {
        RecentClassFiles files = new RecentClassFiles(counting);

        files.find(loader, "com.acme.Base");
        for (int i = 0; i < RecentClassFiles.ENTRIES; i++) {
            files.find(loader, "com.acme.Other" + i);
        }
        files.find(loader, "com.acme.Base");

        assertThat(reads).filteredOn("com.acme.Base"::equals).hasSize(2);
    }

    @Test
    void bothFirstTestsOfOneClassReadItsSuperTypesOnce() throws Exception {
        // ToolPrefilterTest and ImplementationTestTest show what each test answers; here, what they read together
        java.util.Map<String, byte[]> classFiles = new java.util.HashMap<>();
        for (Class<?> c : List.of(Chain.Leaf.class, Chain.Middle.class, Chain.Top.class)) {
            try (var in = c.getClassLoader().getResourceAsStream(c.getName().replace('.', '/') + ".class")) {
                classFiles.put(c.getName(), in.readAllBytes());
            }
        }
        List<String> read = new ArrayList<>();
        RecentClassFiles files = new RecentClassFiles((l, name) -> {
            read.add(name);
            return classFiles.get(name);
        });
        ToolPrefilter prefilter = new ToolPrefilter(new ToolRules(List.of(AnnotatedToolRule.of("guarded-tool",
                GuardedTool.class.getName())), ParameterNaming.COMPILED_NAMES), files);
        ImplementationTest implementations = new ImplementationTest(java.util.Set.of("java.sql.Statement"), files);

        byte[] leaf = classFiles.get(Chain.Leaf.class.getName());
        assertThat(prefilter.mayHoldTools(loader, Chain.Leaf.class.getName(), leaf)).isFalse();
        assertThat(implementations.mayImplement(loader, Chain.Leaf.class.getName(), leaf)).isFalse();

        assertThat(read).containsExactly(Chain.Middle.class.getName(), Chain.Top.class.getName());
    }

    /** A chain of super types, none of them a tool or an implementation of a sensed interface. */
    static final class Chain {
        static class Top {
        }

        static class Middle extends Top {
        }

        static class Leaf extends Middle {
        }
    }
}
