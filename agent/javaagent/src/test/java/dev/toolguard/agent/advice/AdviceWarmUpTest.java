package dev.toolguard.agent.advice;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The warm-up puts the tool advice into its sample class as the installer would, and defines nothing. */
class AdviceWarmUpTest {

    private static byte[] original() throws IOException {
        try (InputStream in = AdviceWarmUp.class.getResourceAsStream("AdviceWarmUp$Sample.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void theSampleGetsTheToolAdviceThroughTheInstallersPath() throws IOException {
        byte[] instrumented = AdviceWarmUp.instrumentedSample();

        String constants = new String(instrumented, StandardCharsets.ISO_8859_1);
        assertThat(constants).as("the advice asks the bridge").contains("dev/toolguard/api/internal/GuardBridge")
                .contains("adviceFailed");
        assertThat(instrumented).isNotEqualTo(original());
    }

    @Test
    void theWarmUpRunsOnADaemonThreadAndEnds() throws InterruptedException {
        Thread t = ToolInstaller.warmUp();

        assertThat(t.isDaemon()).as("it never keeps the JVM running").isTrue();
        assertThat(t.getName()).isEqualTo("toolguard-warm-up");
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
    }
}
