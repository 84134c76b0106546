package dev.toolguard.it.semantickernel;

/**
 * The same scenarios on the oldest Semantic Kernel line the docs claim (1.0.x), built from the same sources
 * (sample-apps/semantic-kernel-support-1.0): there the chat's messages are a plain list, not a class of their own.
 */
class SemanticKernelOldestIT extends SemanticKernelScenarios {
    SemanticKernelOldestIT() {
        super("toolguard.it.semantic-kernel-1.0.jar", "toolguard.it.semantic-kernel.oldest.version");
    }
}
