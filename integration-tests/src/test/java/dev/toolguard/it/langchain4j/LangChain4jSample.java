package dev.toolguard.it.langchain4j;

import dev.toolguard.it.supportdesk.SupportDeskRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The LangChain4j sample, as built, and how to run it on the newest and on the oldest LangChain4j claimed. */
public final class LangChain4jSample {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.langchain4j.sample.dir"));
    static final Path SAMPLE_JAR = SAMPLE.resolve("target/sample-langchain4j-support.jar");
    static final String MAIN = "dev.toolguard.sample.langchain4j.SupportDesk";
    static final String TOOL_CLASS = "dev.toolguard.sample.langchain4j.SupportTools";
    static final String NEWEST_VERSION = System.getProperty("toolguard.it.langchain4j.version");
    static final String OLDEST_VERSION = System.getProperty("toolguard.it.langchain4j.oldest.version");
    static final Path OLDEST_JARS = Path.of(System.getProperty("toolguard.it.langchain4j.oldest.dir"));

    private LangChain4jSample() {
    }

    /** Runs the sample as built, on the newest LangChain4j, with the given agent config. */
    static SupportDeskRun onNewest(Path dir, Path config) throws IOException, InterruptedException {
        return SupportDeskRun.run(dir, config, MAIN, SAMPLE_JAR);
    }

    /**
     * Runs the same compiled sample with LangChain4j's two jars of the oldest claimed version in place of the
     * newest ones; its other dependencies are the same on both.
     */
    static SupportDeskRun onOldest(Path dir, Path config) throws IOException, InterruptedException {
        List<Path> cp = new ArrayList<>();
        // the classes, not the jar: the jar's manifest would put the newest LangChain4j on the class path too
        cp.add(SAMPLE.resolve("target/classes"));
        cp.addAll(libsWith(OLDEST_JARS, OLDEST_VERSION));
        return SupportDeskRun.run(dir, config, MAIN, cp.toArray(Path[]::new));
    }

    /**
     * The sample's dependencies with LangChain4j's two jars of {@code version}, copied to {@code jars} by the
     * build, in place of the newest ones.
     */
    static List<Path> libsWith(Path jars, String version) throws IOException {
        List<Path> cp = new ArrayList<>();
        for (Path lib : manifestClassPath()) {
            if (!lib.getFileName().toString().startsWith("langchain4j")) {
                cp.add(lib);
            }
        }
        try (Stream<Path> listed = Files.list(jars)) {
            List<Path> wanted = listed.filter(p -> p.toString().endsWith("-" + version + ".jar")).sorted().toList();
            assertThat(wanted).as("LangChain4j %s jars in %s", version, jars).hasSize(2);
            cp.addAll(wanted);
        }
        return cp;
    }

    /** The jars the sample jar's manifest puts on its class path: LangChain4j and its dependencies. */
    public static List<Path> manifestClassPath() {
        try (JarFile jar = new JarFile(SAMPLE_JAR.toFile())) {
            String entries = jar.getManifest().getMainAttributes().getValue("Class-Path");
            return Stream.of(entries.trim().split("\\s+")).map(e -> SAMPLE_JAR.resolveSibling(e)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
