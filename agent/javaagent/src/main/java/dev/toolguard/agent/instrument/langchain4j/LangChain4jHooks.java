package dev.toolguard.agent.instrument.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.instrument.FrameworkHook;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * Built-in rule set {@code langchain4j}: what its tool annotations alone do not cover.
 *
 * <p>A denied {@code @Tool} method needs nothing here: it throws the denial, and LangChain4j's own tool error
 * handling returns the exception's message to the model as the tool's result (up to 1.3 {@code DefaultToolExecutor}
 * returns it directly, from 1.4 the default {@code ToolExecutionErrorHandler} does).
 *
 * <p>Discovery: an AI service puts in each request to the model the tools of its {@code ToolServiceContext}
 * ({@code toolSpecifications()} in every 1.x, {@code effectiveTools()} from 1.12). Both accessors return only
 * the tools the current caller may be offered; the executors stay registered, so a call the model makes to a
 * hidden tool anyway reaches the guarded method and is denied there.
 */
public final class LangChain4jHooks implements FrameworkHook {

    static final String TOOL_SERVICE_CONTEXT = "dev.langchain4j.service.tool.ToolServiceContext";

    @Override
    public String ruleSet() {
        return "langchain4j";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        if (!filterDiscovery) {
            return builder;
        }
        return builder.type(named(TOOL_SERVICE_CONTEXT)).transform((b, type, loader, module, pd) -> {
            // the advice is read as a class file, never loaded: its body names LangChain4j's types, which only
            // the application's class loader has
            ClassFileLocator locator = new ClassFileLocator.Compound(
                    ClassFileLocator.ForClassLoader.of(LangChain4jHooks.class.getClassLoader()),
                    ClassFileLocator.ForClassLoader.of(loader));
            TypeDescription advice = TypePool.Default.of(locator).describe(OfferedTools.class.getName()).resolve();
            return b.visit(Advice.to(advice, locator).withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE).on(named("effectiveTools").or(named("toolSpecifications"))
                    .and(takesNoArguments()).and(returns(named(List.class.getName())))));
        });
    }

    /** Exit advice on the accessors of the tools sent to the model: keeps those the caller may see. */
    static final class OfferedTools {

        private OfferedTools() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void keepDiscoverable(@Advice.Return(readOnly = false) List<ToolSpecification> tools) {
            if (tools == null) {
                return;
            }
            List<ToolSpecification> kept = null;
            for (int i = 0, n = tools.size(); i < n; i++) {
                ToolSpecification tool = tools.get(i);
                boolean offered = GuardBridge.discoverable(tool.name());
                if (!offered && kept == null) {
                    kept = new ArrayList<>(tools.subList(0, i));
                } else if (offered && kept != null) {
                    kept.add(tool);
                }
            }
            if (kept != null) {
                tools = Collections.unmodifiableList(kept);
            }
        }
    }
}
