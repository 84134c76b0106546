package dev.toolguard.sample.koog;

import ai.koog.agents.core.tools.ToolBase;
import ai.koog.agents.core.tools.ToolCallMetadata;
import ai.koog.agents.core.tools.ToolDescriptor;
import ai.koog.agents.core.tools.ToolParameterDescriptor;
import ai.koog.agents.core.tools.ToolParameterType;
import ai.koog.serialization.JSONElement;
import ai.koog.serialization.JSONLiteral;
import ai.koog.serialization.JSONObject;
import ai.koog.serialization.JSONSerializer;
import ai.koog.serialization.TypeToken;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;

import java.util.List;
import java.util.Map;

/**
 * An asynchronous tool, as a Kotlin tool that calls a remote service with a suspending client is: its
 * {@code execute}, a Kotlin {@code suspend} function seen from Java, hands the question to a "warehouse" thread and
 * suspends; the warehouse resumes the agent's coroutine with the answer. Arguments are read as Koog's JSON object
 * itself, so no serializer is needed.
 */
final class OrderStatusTool extends ToolBase<JSONObject, String> {

    OrderStatusTool() {
        super(TypeToken.of(JSONObject.class), TypeToken.of(String.class),
                new ToolDescriptor("check_order_status", "Asks the warehouse for an order's status",
                        List.of(new ToolParameterDescriptor("orderId", "the order's id", ToolParameterType.String.INSTANCE)),
                        List.of(), null),
                Map.of());
    }

    @Override
    public Object execute(JSONObject args, ToolCallMetadata metadata, Continuation<? super String> done) {
        JSONElement id = args.getEntries().get("orderId");
        String orderId = id instanceof JSONLiteral literal ? literal.getContent() : String.valueOf(id);
        System.out.println("  [tool body] check_order_status " + orderId);
        // resumed through the coroutine's dispatcher, as a suspending client would resume it
        Continuation<? super String> agent = IntrinsicsKt.intercepted(done);
        Thread warehouse = new Thread(() -> agent.resumeWith("order " + orderId + ": shipped"), "warehouse");
        warehouse.start();
        return IntrinsicsKt.getCOROUTINE_SUSPENDED();
    }

    @Override
    public JSONObject decodeArgs(JSONObject args, JSONSerializer serializer) {
        return args;
    }

    @Override
    public JSONElement encodeResult(String result, JSONSerializer serializer) {
        return new JSONLiteral(result, true);
    }

    @Override
    public String encodeResultToString(String result, JSONSerializer serializer) {
        return result;
    }
}
