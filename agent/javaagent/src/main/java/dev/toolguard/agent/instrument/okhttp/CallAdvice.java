package dev.toolguard.agent.instrument.okhttp;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code RealCall.execute()} and {@code enqueue(Callback)}. */
public final class CallAdvice {

    private CallAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object call) {
        GuardBridge.egress("http-okhttp", call, call);
    }
}
