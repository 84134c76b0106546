package dev.toolguard.agent.instrument.exec;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code ProcessBuilder.start(Redirect[])}: checked before the process is created. */
public final class StartAdvice {

    private StartAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object builder) {
        GuardBridge.egress("exec", builder, builder);
    }
}
