package dev.toolguard.it.adk;

import java.nio.file.Path;

/** The same sample's sources built on the oldest ADK claimed, 1.0.0 ({@code sample-apps/adk-support-1.0}). */
class AdkOldestIT extends AdkSampleRun {

    @Override
    Path sampleJar() {
        return SAMPLE.resolveSibling("adk-support-1.0").resolve("target/sample-adk-support-1.0.jar");
    }

    @Override
    String adkVersion() {
        return "1.0.0";
    }
}
