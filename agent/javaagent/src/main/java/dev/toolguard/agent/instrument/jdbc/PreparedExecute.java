package dev.toolguard.agent.instrument.jdbc;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code PreparedStatement.execute*()}: the SQL it was prepared with is checked. */
public final class PreparedExecute {

    private PreparedExecute() {
    }

    @Advice.OnMethodEnter
    static void enter(@Advice.This Object statement) {
        GuardBridge.egress("jdbc-prepared", statement, null);
    }
}
