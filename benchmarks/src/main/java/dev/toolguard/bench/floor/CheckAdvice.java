package dev.toolguard.bench.floor;

import net.bytebuddy.asm.Advice;

import java.util.Objects;

/** The same check as {@link AsmWeaving}'s, as ByteBuddy advice (inlined into the tool method, so it names only the JDK). */
final class CheckAdvice {

    private CheckAdvice() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.Origin("#m") String method) {
        Objects.checkIndex(method.equals(System.getProperty(FloorAgent.DENY_PROPERTY)) ? 1 : 0, 1);
    }
}
