package dev.toolguard.bench.floor;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

import java.lang.instrument.ClassFileTransformer;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

/** The check as ByteBuddy advice, woven by an {@code AgentBuilder}'s transformer. */
final class AgentBuilderWeaving {

    private AgentBuilderWeaving() {
    }

    static ClassFileTransformer of(String annotation) {
        // the advice is described once, as ToolGuard describes its own, not once per woven class
        AsmVisitorWrapper advice = Advice.to(CheckAdvice.class).on(isAnnotatedWith(named(annotation)));
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .type(declaresMethod(isAnnotatedWith(named(annotation))))
                .transform((builder, type, loader, module, domain) -> builder.visit(advice))
                .makeRaw();
    }
}
