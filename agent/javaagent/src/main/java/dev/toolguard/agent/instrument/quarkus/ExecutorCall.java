package dev.toolguard.agent.instrument.quarkus;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code AiServiceMethodImplementationSupport.executeTool(request, executor, ...)}, through which a
 * Quarkus AI service runs every tool call: decides a call of a tool that is not a {@code @Tool} method (a
 * {@code ToolProvider}'s executor, such as an MCP client's). A {@code QuarkusToolExecutor} runs a {@code @Tool}
 * method, which is decided where it runs, with its Java arguments: that call proceeds here.
 *
 * <p>A denied call proceeds with an executor that throws the denial in place of the real one, so that the AI
 * service's own error handling ({@code ToolExecutionErrorHandler}) gives the model the denial text as the tool's
 * result, exactly as for a denied {@code @Tool} method. If this advice fails before the executor is replaced,
 * the method is skipped and throws the refusal (GuardBridge's protocol).
 */
final class ExecutorCall {

    static final String SITE = "dev.langchain4j.service.tool.ToolExecutor#execute";
    /** Quarkus's executor of {@code @Tool} methods, named, since the agent is not compiled against Quarkus. */
    static final String TOOL_METHOD_EXECUTOR = "io.quarkiverse.langchain4j.runtime.tool.QuarkusToolExecutor";

    private ExecutorCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) ToolExecutionRequest request,
                        @Advice.Argument(value = 1, readOnly = false) ToolExecutor executor) {
        if (executor != null && executor.getClass().getName().equals(TOOL_METHOD_EXECUTOR)) {
            return GuardBridge.PROCEED;
        }
        String arguments = request.arguments();
        Object verdict = GuardBridge.enterNamed("quarkus-langchain4j", request.name(), SITE,
                arguments == null || arguments.isBlank() ? "{}" : arguments, new Object[] {executor});
        if (verdict instanceof Throwable) {
            executor = (ToolExecutor) GuardBridge.refusing(ToolExecutor.class, verdict);
            return GuardBridge.PROCEED;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            thrown = GuardBridge.refusal(null);
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
