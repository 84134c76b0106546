package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.agent.instrument.FrameworkHook;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Built-in rule set {@code mcp}: tool calls served by the MCP Java SDK ({@code io.modelcontextprotocol.sdk},
 * 1.x and 2.x), whose tools are handler functions, not methods of their own.
 *
 * <p>Every {@code tools/call} a server built with {@code McpServer.sync(...)} or {@code McpServer.async(...)}
 * serves goes through the request handler that {@code McpAsyncServer} (or {@code McpStatelessAsyncServer})
 * registers for that method; a sync server is an async one whose tool handlers run the sync ones. That handler is
 * a lambda, so its body is the synthetic method {@code lambda$toolsCallRequestHandler$N(exchange, params)}: the
 * advice goes there, before the SDK looks the tool up and before the tool's handler is applied. A denial is
 * returned as a {@code CallToolResult} with {@code isError: true} (the SDK would turn a thrown exception into a
 * JSON-RPC error, which clients treat as a failure of the server, not as a tool result the model reads).
 *
 * <p>Tool lists are filtered where the server builds the JSON-RPC response carrying a {@code ListToolsResult}:
 * every server of the SDK, stateful or not, whatever its transport, goes through that record's constructor, and
 * a client never does (it reads results as plain JSON).
 */
public final class McpHooks implements FrameworkHook {

    static final String SESSION_SERVER = "io.modelcontextprotocol.server.McpAsyncServer";
    static final String STATELESS_SERVER = "io.modelcontextprotocol.server.McpStatelessAsyncServer";
    static final String JSON_RPC_RESPONSE = "io.modelcontextprotocol.spec.McpSchema$JSONRPCResponse";

    @Override
    public String ruleSet() {
        return "mcp";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        AgentBuilder b = builder
                .type(named(SESSION_SERVER))
                .transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(toolsCallHandler(), Advice.to(SessionToolCall.class, ToolCallOutcome.class))))
                .type(named(STATELESS_SERVER))
                .transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(toolsCallHandler(), Advice.to(StatelessToolCall.class, ToolCallOutcome.class))));
        if (filterDiscovery) {
            b = b.type(named(JSON_RPC_RESPONSE))
                    .transform((tb, type, loader, module, pd) -> tb.visit(Advice.to(ToolListResponse.class)
                            .on(isConstructor().and(takesArguments(4)).and(takesArgument(2, Object.class)))));
        }
        return b;
    }

    /**
     * The body of the {@code tools/call} request handler: javac names it after the method that creates the lambda,
     * {@code toolsCallRequestHandler}, and it takes the exchange (or transport context) and the raw params. The
     * lambda that finds the tool by name in the same method takes other arguments and returns a boolean.
     */
    static ElementMatcher<MethodDescription> toolsCallHandler() {
        return nameStartsWith("lambda$toolsCallRequestHandler$")
                .and(takesArguments(2))
                .and(takesArgument(1, Object.class))
                .and(returns(named("reactor.core.publisher.Mono")));
    }
}
