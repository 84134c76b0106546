package dev.toolguard.agent.instrument.jdkhttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the start of the client's one sending method: the request is checked, and replaced by a copy that
 * carries a credential where one is released for it.
 */
public final class SendAdvice {

    private SendAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object client,
                      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
        request = GuardBridge.egress("http-jdk", client, request);
    }
}
