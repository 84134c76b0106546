package dev.toolguard.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a tool that ToolGuard decides before it runs. Needs the agent
 * ({@code -javaagent:toolguard-agent.jar}); without it the annotation does nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface GuardedTool {
    /** The tool name policies use; empty means the method name. */
    String name() default "";
}
