package dev.toolguard.agent.instrument.mail;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of a transport's {@code sendMessage(Message, Address[])} (SMTPTransport's, any provider's): the
 * message and the addresses it is sent to, before the provider sends anything.
 */
public final class SendMessageAdvice {

    private SendMessageAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object transport, @Advice.AllArguments Object[] arguments) {
        GuardBridge.egress("mail-transport", transport, arguments);
    }
}
