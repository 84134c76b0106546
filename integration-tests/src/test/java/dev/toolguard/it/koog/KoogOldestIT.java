package dev.toolguard.it.koog;

import java.nio.file.Path;

/** The same sample's sources built on the oldest Koog claimed, 1.0.0 ({@code sample-apps/koog-support-1.0}). */
class KoogOldestIT extends KoogSampleRun {

    @Override
    Path sampleJar() {
        return SAMPLE.resolveSibling("koog-support-1.0").resolve("target/sample-koog-support-1.0.jar");
    }

    @Override
    String koogVersion() {
        return "1.0.0";
    }
}
