package dev.toolguard.sample.quarkus;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.langchain4j.service.tool.ToolProvider;
import dev.langchain4j.service.tool.ToolProviderResult;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tools that are no {@code @Tool} methods: a {@code ToolProvider}'s specifications and executors (lambdas), as an
 * MCP client provides them. The assistant gets them on every method
 * ({@code @RegisterAiService(toolProviderSupplier = ...)}).
 */
@ApplicationScoped
public class OrderTools implements java.util.function.Supplier<ToolProvider> {

    @Override
    public ToolProvider get() {
        ToolExecutor lookup = (request, memoryId) -> {
            System.out.println("  [tool body] lookup_order " + request.arguments());
            return "order o-1: shipped";
        };
        ToolExecutor wipe = (request, memoryId) -> {
            System.out.println("  [tool body] wipe_orders " + request.arguments());
            return "wiped";
        };
        return request -> ToolProviderResult.builder()
                .add(ToolSpecification.builder().name("lookup_order").description("Looks an order up")
                        .parameters(JsonObjectSchema.builder().addStringProperty("orderId").build()).build(), lookup)
                .add(ToolSpecification.builder().name("wipe_orders").description("Deletes every order")
                        .parameters(JsonObjectSchema.builder().build()).build(), wipe)
                .build();
    }
}
