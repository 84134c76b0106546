package dev.toolguard.agent.instrument.mail;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of the static {@code Transport.send} methods: the message and any addresses given. */
public final class SendAdvice {

    private SendAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.AllArguments Object[] arguments) {
        GuardBridge.egress("mail", null, arguments);
    }
}
