package dev.toolguard.agent.reload;

import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.PolicyBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LastGoodStoreTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    /** A bundle of these files, in this order, with the sha256 the loader would give it. */
    private static TestBundle bundleOf(Path... files) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            digest.update(Files.readAllBytes(f));
            names.add(f.toString());
        }
        return new TestBundle("n", "v", HexFormat.of().formatHex(digest.digest()), names);
    }

    private Path policy(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static boolean posix(Path p) {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class) != null;
    }

    @Test
    void aSavedBundleCanBeLoadedBackInTheSameOrder() throws Exception {
        Path b = policy("b-tools.yaml", "kind: Policy # b\n");
        Path a = policy("a-base.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("state/last-good"));
        TestBundle bundle = bundleOf(a, b);

        store.save(bundle, List.of(dir.toString()));

        assertThat(store.copyFor(List.of(dir.toString()), warnings::add))
                .contains(new LastGoodStore.Copy(List.of(dir.resolve("state/last-good").toString()), bundle.sha256(), null));
        assertThat(warnings).isEmpty();
        assertThat(SourceWatcher.policyFilesOf(dir.resolve("state/last-good")))
                .extracting(p -> p.getFileName().toString()).containsExactly("000-a-base.yaml", "001-b-tools.yaml");
        assertThat(Files.readString(dir.resolve("state/last-good/001-b-tools.yaml"))).isEqualTo("kind: Policy # b\n");
    }

    @Test
    void aNewSaveReplacesTheOldCopyWhole() throws Exception {
        Path a = policy("a.yaml", "one\n");
        Path c = policy("c.yaml", "two\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        store.save(bundleOf(a, c), List.of(a.toString(), c.toString()));

        store.save(bundleOf(c), List.of(c.toString()));

        assertThat(SourceWatcher.policyFilesOf(dir.resolve("last-good")))
                .extracting(p -> p.getFileName().toString()).containsExactly("000-c.yaml");
        assertThat(Files.list(dir).map(p -> p.getFileName().toString()).toList())
                .containsExactlyInAnyOrder("a.yaml", "c.yaml", "last-good");
    }

    @Test
    void withoutASavedCopyThereIsNoneAndNothingToSay() {
        assertThat(new LastGoodStore(dir.resolve("none")).copyFor(List.of("p.yaml"), warnings::add)).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theCopyIsNeverOfferedToAnotherSetOfSources() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        store.save(bundleOf(a), List.of(a.toString()));

        Optional<LastGoodStore.Copy> forB = store.copyFor(List.of("https://bundles.example/b.yaml"), warnings::add);

        assertThat(forB).isEmpty();
        assertThat(warnings).singleElement().asString().contains("belongs to other policy sources")
                .contains(a.toString()).contains("https://bundles.example/b.yaml");
    }

    @Test
    void aSupersetOfTheSourcesIsAnotherSetToo() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        store.save(bundleOf(a), List.of(a.toString()));

        assertThat(store.copyFor(List.of(a.toString(), "https://bundles.example/b.yaml"), warnings::add)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("belongs to other policy sources");
    }

    @Test
    void theSameSetNamedInAnotherOrderOrSpellingIsTheSameSet() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        Path b = policy("b.yaml", "kind: Policy # b\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        store.save(bundleOf(a, b), List.of(a.toString(), b.toString()));

        Optional<LastGoodStore.Copy> copy = store.copyFor(
                List.of(dir.resolve("x/../b.yaml").toString(), a.toString(), a.toString()), warnings::add);

        assertThat(copy).isPresent();
        assertThat(warnings).isEmpty();
    }

    @Test
    void aCopyThatDoesNotSayWhereItCameFromIsNotUsed() throws Exception {
        Path old = Files.createDirectories(dir.resolve("last-good"));
        Files.writeString(old.resolve("000-p.yaml"), "kind: Policy\n"); // as copies were kept before they were bound

        assertThat(new LastGoodStore(old).copyFor(List.of(dir.resolve("p.yaml").toString()), warnings::add)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("does not say which sources it came from");
    }

    @Test
    void aSaveWhoseSourcesChangedWhileCopyingKeepsThePreviousCopy() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # one\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        TestBundle first = bundleOf(a);
        store.save(first, List.of(a.toString()));
        TestBundle loaded = bundleOf(policy("a.yaml", "kind: Policy # two\n"));
        policy("a.yaml", "kind: Policy # three, written after the bundle loaded\n");

        assertThatThrownBy(() -> store.save(loaded, List.of(a.toString())))
                .hasMessageContaining("changed while they were copied");

        assertThat(store.copyFor(List.of(a.toString()), warnings::add)).get()
                .extracting(LastGoodStore.Copy::sha256).isEqualTo(first.sha256());
        assertThat(Files.readString(dir.resolve("last-good/000-a.yaml"))).isEqualTo("kind: Policy # one\n");
    }

    @Test
    void theCopyIsWrittenForItsOwnerOnly() throws Exception {
        assumeTrue(posix(dir), "POSIX permissions");
        Path a = policy("a.yaml", "kind: Policy\n");
        Path lastGood = dir.resolve("last-good");

        new LastGoodStore(lastGood).save(bundleOf(a), List.of(a.toString()));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lastGood))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lastGood.resolve("000-a.yaml"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(lastGood.resolve(LastGoodStore.MANIFEST))))
                .isEqualTo("rw-------");
    }

    @Test
    void aGroupWritableDirectoryIsIgnoredWithAWarning() throws Exception {
        assumeTrue(posix(dir), "POSIX permissions");
        Path a = policy("a.yaml", "kind: Policy\n");
        Path lastGood = dir.resolve("last-good");
        LastGoodStore store = new LastGoodStore(lastGood);
        store.save(bundleOf(a), List.of(a.toString()));
        Files.setPosixFilePermissions(lastGood, PosixFilePermissions.fromString("rwxrwx---"));

        assertThat(store.copyFor(List.of(a.toString()), warnings::add)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("is ignored").contains("writable by its group");
    }

    @Test
    void aFileOthersMayWriteInsideTheCopyIsIgnoredWithAWarning() throws Exception {
        assumeTrue(posix(dir), "POSIX permissions");
        Path a = policy("a.yaml", "kind: Policy\n");
        Path lastGood = dir.resolve("last-good");
        LastGoodStore store = new LastGoodStore(lastGood);
        store.save(bundleOf(a), List.of(a.toString()));
        Files.setPosixFilePermissions(lastGood.resolve("000-a.yaml"), PosixFilePermissions.fromString("rw-rw-rw-"));

        assertThat(store.copyFor(List.of(a.toString()), warnings::add)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("000-a.yaml").contains("writable by others");
    }

    @Test
    void aCopyOwnedBySomeoneElseIsIgnoredWithAWarning() throws Exception {
        assumeTrue(posix(dir), "POSIX permissions");
        Path a = policy("a.yaml", "kind: Policy\n");
        Path lastGood = dir.resolve("last-good");
        LastGoodStore store = new LastGoodStore(lastGood);
        store.save(bundleOf(a), List.of(a.toString()));
        UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(lastGood, nobody);
        } catch (IOException notAllowed) {
            assumeTrue(false, "changing a file's owner needs root: " + notAllowed);
            return;
        }

        assertThat(store.copyFor(List.of(a.toString()), warnings::add)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("owned by nobody, not by the running user");
    }

    /** A bundle of these files signed at {@code revision}. */
    private static PolicyBundle signed(TestBundle files, long revision) {
        return new PolicyBundle() {
            @Override
            public String name() {
                return files.name();
            }

            @Override
            public String version() {
                return files.version();
            }

            @Override
            public String sha256() {
                return files.sha256();
            }

            @Override
            public List<String> sources() {
                return files.sources();
            }

            @Override
            public BundleSignature signature() {
                return new BundleSignature(revision, "release");
            }
        };
    }

    @Test
    void aSaveInTheBackgroundWritesTheCopyBeforeItsThreadEnds() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        TestBundle bundle = bundleOf(a);
        List<String> failures = new ArrayList<>();

        Thread saver = store.saveInBackground(bundle, List.of(a.toString()), List.of(), Duration.ofSeconds(5),
                failures::add);
        saver.join(10_000);

        assertThat(saver.isAlive()).isFalse();
        assertThat(saver.isDaemon()).as("a copy being written never keeps the JVM running by itself").isTrue();
        assertThat(failures).isEmpty();
        assertThat(store.copyFor(List.of(a.toString()), warnings::add))
                .contains(new LastGoodStore.Copy(List.of(dir.resolve("last-good").toString()), bundle.sha256(), null));
    }

    @Test
    void aSaveAskedForLaterWinsOverOneStillWaitingInTheBackground() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        Path b = policy("b.yaml", "kind: Policy # b\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        TestBundle older = bundleOf(a);
        TestBundle newer = bundleOf(b);
        Thread saver;
        synchronized (store) { // the background save waits for the store, as it would behind a reload's save
            saver = store.saveInBackground(older, List.of(dir.toString()), List.of(), Duration.ofSeconds(5), s -> { });
            store.save(newer, List.of(dir.toString()));
        }
        saver.join(10_000);

        assertThat(store.copyFor(List.of(dir.toString()), warnings::add)).get()
                .extracting(LastGoodStore.Copy::sha256).isEqualTo(newer.sha256());
    }

    @Test
    void aBackgroundSaveThatFailsSaysWhy() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        List<String> failures = new ArrayList<>();
        TestBundle changed = new TestBundle("n", "v", "0".repeat(64), List.of(a.toString()));

        store.saveInBackground(changed, List.of(a.toString()), List.of(), Duration.ofSeconds(5), failures::add)
                .join(10_000);

        assertThat(failures).singleElement().asString().contains("changed while they were copied");
        assertThat(dir.resolve("last-good")).doesNotExist();
    }

    @Test
    void aCopyHoldsABundleOfTheSameFilesAndNoHigherRevision() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        Path b = policy("b.yaml", "kind: Policy # b\n");
        TestBundle bundle = bundleOf(a);
        LastGoodStore.Copy unsigned = new LastGoodStore.Copy(List.of("x"), bundle.sha256(), null);
        LastGoodStore.Copy atFive = new LastGoodStore.Copy(List.of("x"), bundle.sha256(), new BundleSignature(5, "release"));

        assertThat(LastGoodStore.holds(unsigned, bundle)).isTrue();
        assertThat(LastGoodStore.holds(null, bundle)).as("no copy yet").isFalse();
        assertThat(LastGoodStore.holds(unsigned, bundleOf(b))).as("other files").isFalse();
        assertThat(LastGoodStore.holds(atFive, signed(bundle, 5))).isTrue();
        assertThat(LastGoodStore.holds(atFive, signed(bundle, 6))).as("a revision the copy does not keep yet").isFalse();
        assertThat(LastGoodStore.holds(unsigned, signed(bundle, 1))).isFalse();
    }

    @Test
    void aSignedCopyKeepsItsRevisionAndKeyAcrossASaveAndARead() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        PolicyBundle bundle = signed(bundleOf(a), 12);

        store.save(bundle, List.of(a.toString()), List.of("release", "backup"));

        assertThat(store.copyFor(List.of(a.toString()), List.of("backup", "release"), warnings::add)).get()
                .extracting(LastGoodStore.Copy::signature).isEqualTo(new BundleSignature(12, "release"));
        assertThat(store.copyFor(List.of(a.toString()), List.of("release"), warnings::add)).isEmpty();
    }

    @Test
    void aManifestWrittenByAnEarlierVersionIsStillRead() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        TestBundle bundle = bundleOf(a);
        store.save(bundle, List.of(a.toString()));
        // as Jackson's pretty printer wrote it before the store wrote its manifest itself
        Files.writeString(dir.resolve("last-good").resolve(LastGoodStore.MANIFEST), """
                {
                  "sources" : [ "%s" ],
                  "sha256" : "%s",
                  "signing_keys" : [ ],
                  "revision" : 3,
                  "key_id" : "release"
                }""".formatted(a.toAbsolutePath(), bundle.sha256()));

        assertThat(store.copyFor(List.of(a.toString()), warnings::add)).get()
                .extracting(LastGoodStore.Copy::signature).isEqualTo(new BundleSignature(3, "release"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void aManifestThatIsNotJsonIsNotUsedAndSaysWhy() throws Exception {
        Path a = policy("a.yaml", "kind: Policy # a\n");
        LastGoodStore store = new LastGoodStore(dir.resolve("last-good"));
        store.save(bundleOf(a), List.of(a.toString()));
        Files.writeString(dir.resolve("last-good").resolve(LastGoodStore.MANIFEST), "{\"sources\": [");

        assertThat(store.copyFor(List.of(a.toString()), warnings::add)).isEmpty();
        assertThat(warnings).singleElement().asString().contains("cannot be read").contains("it is not used");
    }
}
