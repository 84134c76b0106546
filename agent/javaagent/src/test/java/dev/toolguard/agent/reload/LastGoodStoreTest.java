package dev.toolguard.agent.reload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LastGoodStoreTest {

    @TempDir
    Path dir;

    @Test
    void aSavedBundleCanBeLoadedBackInTheSameOrder() throws IOException {
        Path b = Files.writeString(dir.resolve("b-tools.yaml"), "kind: Policy # b\n");
        Path a = Files.writeString(dir.resolve("a-base.yaml"), "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("state/last-good"));

        store.save(new TestBundle("n", "v", "sha", List.of(a.toString(), b.toString())));

        assertThat(store.sources()).contains(List.of(dir.resolve("state/last-good").toString()));
        assertThat(SourceWatcher.policyFilesOf(dir.resolve("state/last-good")))
                .extracting(p -> p.getFileName().toString()).containsExactly("000-a-base.yaml", "001-b-tools.yaml");
        assertThat(Files.readString(dir.resolve("state/last-good/001-b-tools.yaml"))).isEqualTo("kind: Policy # b\n");
    }

    @Test
    void aNewSaveReplacesTheOldCopyWhole() throws IOException {
        Path a = Files.writeString(dir.resolve("a.yaml"), "one\n");
        Path c = Files.writeString(dir.resolve("c.yaml"), "two\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        store.save(new TestBundle("n", "v", "1", List.of(a.toString(), c.toString())));

        store.save(new TestBundle("n", "v", "2", List.of(c.toString())));

        assertThat(SourceWatcher.policyFilesOf(dir.resolve("last-good")))
                .extracting(p -> p.getFileName().toString()).containsExactly("000-c.yaml");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
                .containsExactlyInAnyOrder("a.yaml", "c.yaml", "last-good");
    }

    @Test
    void withoutASavedCopyThereAreNoSources() {
        assertThat(new LastGoodStore(dir.resolve("none")).sources()).isEmpty();
    }
}
