package dev.toolguard.it.koog;

import java.nio.file.Path;

/** The Koog sample on the newest Koog claimed, 1.1.1 ({@code sample-apps/koog-support}). */
class KoogIT extends KoogSampleRun {

    @Override
    Path sampleJar() {
        return SAMPLE.resolve("target/sample-koog-support.jar");
    }

    @Override
    String koogVersion() {
        return "1.1.1";
    }
}
