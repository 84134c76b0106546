package dev.toolguard.it.embabel;

import java.nio.file.Path;

/** The same sample's sources built on the oldest Embabel claimed, 0.3.4 ({@code sample-apps/embabel-support-0.3}). */
class EmbabelOldestIT extends EmbabelSampleRun {

    @Override
    Path sampleJar() {
        return SAMPLE.resolveSibling("embabel-support-0.3").resolve("target/sample-embabel-support-0.3.jar");
    }

    @Override
    String embabelVersion() {
        return System.getProperty("toolguard.it.embabel.oldest.version");
    }
}
