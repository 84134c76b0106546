package dev.toolguard.agent.instrument.koog;

import ai.koog.agents.core.environment.ReceivedToolResult;
import ai.koog.agents.core.environment.ToolResultKind;
import ai.koog.prompt.message.MessagePart;
import ai.koog.serialization.JSONElement;
import ai.koog.serialization.JSONObject;
import dev.toolguard.api.internal.GuardBridge;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.intrinsics.IntrinsicsKt;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.reflect.Constructor;
import java.util.Map;

/**
 * Inlined into {@code GenericAgentEnvironment.executeTool(Call, ToolCallMetadata, Continuation)}, the compiled form
 * of a Kotlin {@code suspend} function: decides the call by the tool's name and the model's arguments (the JSON
 * object the model wrote) before the tool is looked up, its arguments decoded or its body run.
 *
 * <p>Kotlin calls the same method again to resume it after it suspended, with null arguments and its own state as
 * the continuation: such an entry is no new call and is let through. (A first entry always has a call: Koog reads
 * it before anything else.) An allowed call's outcome is written when the method returns its result; when it
 * suspends instead, the call is parked ({@link GuardBridge#suspended}) and the continuation it was given is wrapped
 * so that the outcome is written when it finally ends ({@link GuardBridge#exitOnResume}).
 *
 * <p>A denied call returns Koog's own failed tool result, {@code ReceivedToolResult} with
 * {@code ToolResultKind.Failure(<the denial>)} and the denial's text as its output: the text the model reads as the
 * tool's result (an error result), so the agent's run goes on. Its constructor gained a parameter in Koog 1.1, so it
 * is found by its leading parameters; if none fits, the denial is thrown, which ends the agent's run.
 */
final class EnvironmentToolCall {

    private EnvironmentToolCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) MessagePart.Tool.Call call,
                        @Advice.Argument(value = 2, readOnly = false) Continuation<Object> completion,
                        @Advice.Local("denial") Object denial) {
        if (call == null) {
            return GuardBridge.PROCEED; // Kotlin resuming this call: decided when it was first entered
        }
        Object verdict = GuardBridge.enterNamed("koog", call.getTool(), KoogModule.SITE, call.getArgs(), null);
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        completion = (Continuation<Object>) GuardBridge.exitOnResume(Continuation.class, completion, verdict);
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket,
                     @Advice.Local("denial") Object denial,
                     @Advice.Argument(0) MessagePart.Tool.Call call,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            // also when the advice above failed: refusal(null) is the failure's own denial
            RuntimeException refusal = GuardBridge.refusal(denial);
            Object reply = null;
            try {
                for (Constructor<?> c : ReceivedToolResult.class.getConstructors()) {
                    Class<?>[] p = c.getParameterTypes();
                    if (c.isSynthetic() || p.length < 7 || p[0] != String.class || p[1] != String.class
                            || p[2] != JSONObject.class || p[3] != String.class || p[4] != String.class
                            || p[5] != ToolResultKind.class || p[6] != JSONElement.class) {
                        continue;
                    }
                    Object[] values = new Object[p.length];
                    values[0] = call == null ? null : call.getId();
                    values[1] = call == null ? "(unknown)" : call.getTool();
                    values[2] = new JSONObject(Map.of());
                    values[4] = GuardBridge.denialText(refusal);
                    values[5] = new ToolResultKind.Failure(refusal);
                    for (int i = 7; i < p.length && values != null; i++) {
                        if (p[i].isPrimitive()) {
                            values = null; // Kotlin's defaults constructor: not the one
                        }
                    }
                    if (values != null) {
                        reply = c.newInstance(values);
                        break;
                    }
                }
            } catch (Throwable t) {
                reply = null;
            }
            if (reply != null) {
                result = reply;
                thrown = null;
            } else {
                result = null;
                thrown = refusal;
            }
        } else if (thrown == null && result == IntrinsicsKt.getCOROUTINE_SUSPENDED()) {
            GuardBridge.suspended(ticket);
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
