package dev.toolguard.agent.instrument;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A module's fuse ({@link Hook.Role#FUSE}): inlined at the start of the constructors of a class that every tool
 * call of the framework makes (its call request), it throws a denial when the module does not fit the framework
 * found. A hook that guards calls and could not apply leaves some calls with no decision of their own (a lambda
 * handler, a programmatic executor); the fuse stops them instead, before any tool runs. Not suppressed: its
 * failure is the call's failure.
 */
public final class ModuleFuse {

    /** The module's name, bound as a constant when the fuse is woven in. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface ModuleName {
    }

    private ModuleFuse() {
    }

    @Advice.OnMethodEnter
    static void enter(@ModuleName String module) {
        GuardBridge.checkFits(module);
    }
}
