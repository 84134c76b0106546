package dev.toolguard.agent.instrument.jdbc;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code Statement.execute*(String sql, ...)}: the SQL is checked before the driver sees it. */
public final class StatementExecute {

    private StatementExecute() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
        GuardBridge.egress("jdbc", statement, sql);
    }
}
