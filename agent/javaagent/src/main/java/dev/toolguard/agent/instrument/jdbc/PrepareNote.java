package dev.toolguard.agent.instrument.jdbc;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code Connection.prepare*(String sql, ...)}: the statement's SQL is noted, to be checked when
 * it is executed (possibly inside a guarded call that did not prepare it). Nothing is refused here.
 */
public final class PrepareNote {

    private PrepareNote() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
        GuardBridge.egressNote("jdbc", statement, sql);
    }
}
