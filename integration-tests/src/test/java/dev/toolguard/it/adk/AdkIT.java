package dev.toolguard.it.adk;

import java.nio.file.Path;

/** The ADK sample on the newest ADK claimed, 1.8.0 ({@code sample-apps/adk-support}). */
class AdkIT extends AdkSampleRun {

    @Override
    Path sampleJar() {
        return SAMPLE.resolve("target/sample-adk-support.jar");
    }

    @Override
    String adkVersion() {
        return "1.8.0";
    }
}
