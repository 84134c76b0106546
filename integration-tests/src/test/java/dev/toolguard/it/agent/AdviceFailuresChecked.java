package dev.toolguard.it.agent;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * After every integration test, whatever it asserted itself: no app it started reported a failure of the agent's
 * inlined advice (SPEC §13.1 says each is reported; a test run should see none). Registered for every test class
 * through JUnit's extension auto-detection ({@code junit-platform.properties}).
 */
public final class AdviceFailuresChecked implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
        List<AgentProcess> started;
        synchronized (AgentProcess.STARTED) {
            started = new ArrayList<>(AgentProcess.STARTED);
            AgentProcess.STARTED.clear();
        }
        if (context.getRequiredTestClass().isAnnotationPresent(AdviceFailuresExpected.class)) {
            return;
        }
        for (AgentProcess app : started) {
            app.assertNoAdviceFailures();
        }
    }
}
