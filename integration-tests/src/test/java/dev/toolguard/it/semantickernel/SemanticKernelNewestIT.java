package dev.toolguard.it.semantickernel;

import java.nio.file.Path;

/** The sample's scenarios on the Semantic Kernel it is built with, the newest release. */
class SemanticKernelNewestIT extends SupportDeskScenarios {

    @Override
    Path sampleJar() {
        return SupportDeskRun.NEWEST_JAR;
    }

    @Override
    String semanticKernelVersion() {
        return SupportDeskRun.NEWEST_VERSION;
    }
}
