package dev.toolguard.agent.instrument.apachehttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code doExecute(target, request, context)}: checked before a connection is leased. */
public final class ExecuteAdvice {

    private ExecuteAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object client, @Advice.AllArguments Object[] arguments) {
        GuardBridge.egress("http-apache5", client, arguments);
    }
}
