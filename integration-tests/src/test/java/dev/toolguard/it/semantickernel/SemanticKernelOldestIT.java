package dev.toolguard.it.semantickernel;

import java.nio.file.Path;

/**
 * The same scenarios on the oldest Semantic Kernel line the docs claim (1.0.x), built from the same sources
 * (sample-apps/semantic-kernel-support-1.0): there the chat's messages are a plain list, not a class of their own.
 */
class SemanticKernelOldestIT extends SupportDeskScenarios {

    @Override
    Path sampleJar() {
        return SupportDeskRun.OLDEST_JAR;
    }

    @Override
    String semanticKernelVersion() {
        return SupportDeskRun.OLDEST_VERSION;
    }
}
