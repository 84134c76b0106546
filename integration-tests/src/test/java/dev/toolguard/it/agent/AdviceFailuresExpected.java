package dev.toolguard.it.agent;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class whose apps may make the agent's advice or guard fail on purpose (a call near the end of the
 * stack): {@link AdviceFailuresChecked} then lets reported failures pass, and the test asserts how they were
 * reported ({@link AgentProcess#assertAdviceFailuresReportedOncePerSite()}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AdviceFailuresExpected {
}
