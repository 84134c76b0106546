package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.instrument.FrameworkHook;
import dev.toolguard.agent.instrument.LambdaBodyAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

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
 * <p>A server built with {@code McpServer.sync(...)} or {@code McpServer.async(...)} is an {@code McpAsyncServer}
 * (or {@code McpStatelessAsyncServer}) whose {@code tools/call} request handler finds the tool and applies its
 * handler; a {@code SyncToolSpecification} is turned into an async one by the adapter
 * {@code AsyncToolSpecification.fromSync}, whose callable runs the sync handler. Both are lambdas, so the advice
 * goes on their bodies, synthetic methods named by javac after the method that creates them:
 * <ul>
 * <li>a sync tool is decided in the adapter's callable ({@link SyncToolCall}), on the thread that runs its body,
 * so that its outcome is recorded after the body and a guarded method it calls for the same tool passes through;</li>
 * <li>an async tool is decided in the {@code tools/call} handler ({@link AsyncToolCall}),
 * before its handler is applied; the handler returns a Mono whose body may run later, on another thread.</li>
 * </ul>
 * A denial is returned as a {@code CallToolResult} with {@code isError: true}: the SDK would turn a thrown exception
 * into a JSON-RPC error, which clients treat as a failure of the server, not as a tool result the model reads.
 *
 * <p>Tool lists are filtered, from SDK 2.2, where the server's {@code tools/list} handler asks its per-tool list
 * filter ({@link ToolListEntry}), with the request's exchange for the context sources; on older SDKs where the
 * server builds the JSON-RPC response carrying a {@code ListToolsResult} ({@link ToolListResponse}): every server
 * of the SDK, stateful or not, whatever its transport, goes through that record's constructor, and a client never
 * does (it reads results as plain JSON).
 */
public final class McpHooks implements FrameworkHook {

    static final String SESSION_SERVER = "io.modelcontextprotocol.server.McpAsyncServer";
    static final String STATELESS_SERVER = "io.modelcontextprotocol.server.McpStatelessAsyncServer";
    static final String SYNC_ADAPTER = "io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification";
    static final String STATELESS_SYNC_ADAPTER =
            "io.modelcontextprotocol.server.McpStatelessServerFeatures$AsyncToolSpecification";
    static final String JSON_RPC_RESPONSE = "io.modelcontextprotocol.spec.McpSchema$JSONRPCResponse";

    /** A suppressed failure of our advice is counted and said, like the tool advice's. */
    private static final Advice.ExceptionHandler REPORT = ToolInstaller.REPORT_ADVICE_FAILURE;

    @Override
    public String ruleSet() {
        return "mcp";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        // one type(...) per class: Byte Buddy applies only the first registration that matches a type
        AgentBuilder.Identified.Extendable servers = builder
                .type(named(SESSION_SERVER).or(named(STATELESS_SERVER)))
                .transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(toolsCallHandler(),
                        Advice.to(AsyncToolCall.class, ToolCallOutcome.class).withExceptionHandler(REPORT))));
        if (filterDiscovery) {
            servers = servers.transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(toolListEntry(),
                    Advice.to(ToolListEntry.class).withExceptionHandler(REPORT))));
        }
        AgentBuilder b = servers
                .type(named(SYNC_ADAPTER).or(named(STATELESS_SYNC_ADAPTER)))
                .transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(syncHandlerCall(),
                        Advice.to(SyncToolCall.class).withExceptionHandler(REPORT))));
        if (filterDiscovery) {
            b = b.type(named(JSON_RPC_RESPONSE))
                    .transform((tb, type, loader, module, pd) -> filtersEachListedTool(loader) ? tb
                            : tb.visit(Advice.to(ToolListResponse.class).withExceptionHandler(REPORT).on(responseConstructor())));
        }
        return b;
    }

    /**
     * {@code lambda$toolsListRequestHandler$N(exchange or transport context, Tool)} returning a {@code Publisher}
     * of whether the tool is listed: the SDK's per-tool list filter (2.2 and later).
     */
    static ElementMatcher<MethodDescription> toolListEntry() {
        return nameStartsWith("lambda$toolsListRequestHandler$").and(takesArguments(2))
                .and(takesArgument(1, named("io.modelcontextprotocol.spec.McpSchema$Tool")))
                .and(returns(named("org.reactivestreams.Publisher")));
    }

    /**
     * Whether the SDK of this class loader filters each listed tool itself ({@link #toolListEntry}): then lists are
     * filtered there, with the request's exchange, and a whole response is not filtered again with the context of
     * the thread that builds it, which lacks the exchange. Older SDKs (1.x) are filtered at the response.
     */
    static boolean filtersEachListedTool(ClassLoader loader) {
        try {
            TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
            TypePool.Resolution server = pool.describe(SESSION_SERVER);
            return server.isResolved() && !server.resolve().getDeclaredMethods().filter(toolListEntry()).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** {@code JSONRPCResponse(String jsonrpc, Object id, Object result, JSONRPCError error)}, the record's own. */
    static ElementMatcher<MethodDescription> responseConstructor() {
        return isConstructor().and(takesArguments(4)).and(takesArgument(2, Object.class));
    }

    /**
     * The callable of {@code AsyncToolSpecification.fromSync} that applies a sync tool's handler:
     * {@code lambda$fromSync$N(SyncToolSpecification, exchange or transport context, CallToolRequest)}, returning
     * the handler's {@code CallToolResult}. The adapter's other lambda takes a boolean too and returns a Mono.
     */
    static ElementMatcher<MethodDescription> syncHandlerCall() {
        return nameStartsWith("lambda$fromSync$")
                .and(takesArguments(3))
                .and(takesArgument(2, named("io.modelcontextprotocol.spec.McpSchema$CallToolRequest")))
                .and(returns(named("io.modelcontextprotocol.spec.McpSchema$CallToolResult")));
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
