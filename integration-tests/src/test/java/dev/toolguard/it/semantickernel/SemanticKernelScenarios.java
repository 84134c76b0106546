package dev.toolguard.it.semantickernel;

import dev.toolguard.it.supportdesk.SupportDeskRun;
import dev.toolguard.it.supportdesk.SupportDeskScenarios;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The support desk scenarios on one Semantic Kernel line: the kernel's own auto-invoke tool loop in
 * {@code OpenAIChatCompletion}, an OpenAI endpoint scripted at the HTTP client that answers on an I/O thread of
 * its own, and the tools run on Reactor's {@code boundedElastic} workers: the employee is in the MDC of none of
 * the threads the tools are decided on, only of the thread that asks.
 */
abstract class SemanticKernelScenarios extends SupportDeskScenarios {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.semantic-kernel.sample.dir"));
    static final String MAIN = "dev.toolguard.sample.semantickernel.SupportDesk";

    private final Path sampleJar;
    private final String version;

    /**
     * @param sampleJarProperty the system property naming the sample jar built on the line under test (its manifest
     *                          brings that Semantic Kernel)
     * @param versionProperty   the system property naming that line's version
     */
    SemanticKernelScenarios(String sampleJarProperty, String versionProperty) {
        this.sampleJar = Path.of(System.getProperty(sampleJarProperty));
        this.version = System.getProperty(versionProperty);
    }

    @Override
    protected SupportDeskRun start(Path dir) throws Exception {
        return SupportDeskRun.run(dir, SAMPLE.resolve("toolguard.yaml"), MAIN, sampleJar);
    }

    @Override
    protected String frameworkLine() {
        return "Semantic Kernel " + version;
    }

    @Override
    protected String toolClass() {
        return "dev.toolguard.sample.semantickernel.SupportTools";
    }

    /** Semantic Kernel's own words before a failed tool call's message; the message is the denial. */
    @Override
    protected String toolErrorPrefix() {
        return "Call failed: ";
    }

    @Test
    void theToolsRanOnTheKernelsWorkerThreadsNotOnTheThreadThatAsked() {
        assertThat(run.bodyRuns(1, "issue_refund"))
                .containsExactly(" on boundedElastic: refunded 150.00 EUR to c-1001 (parcel arrived damaged)");
        assertThat(run.bodyRuns(9, "issue_refund")).containsExactly(" on boundedElastic: refunded 1500.00 EUR to c-2001 (outage)");
    }
}
