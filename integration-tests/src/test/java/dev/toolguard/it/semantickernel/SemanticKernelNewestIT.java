package dev.toolguard.it.semantickernel;

/** The scenarios on the Semantic Kernel the sample is built with, the newest release. */
class SemanticKernelNewestIT extends SemanticKernelScenarios {
    SemanticKernelNewestIT() {
        super("toolguard.it.semantic-kernel.jar", "toolguard.it.semantic-kernel.version");
    }
}
