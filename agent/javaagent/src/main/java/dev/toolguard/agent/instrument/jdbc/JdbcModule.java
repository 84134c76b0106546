package dev.toolguard.agent.instrument.jdbc;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The JDBC egress sensor (SPEC §18): every driver's (and pool's) statements, by what they implement, however they are named. A statement
 * executed with its SQL text is checked at {@code execute*}/{@code addBatch}; a prepared statement's text is noted
 * when its connection prepares it, and checked when it is executed.
 */
public final class JdbcModule extends InstrumentationModule {

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.SQL;
    }

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String markerClass() {
        return "java.sql.Statement";
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return "JDBC 4.x drivers and pools (their statement and connection classes, however named)";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.onImplementations("java.sql.Statement",
                        namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch")
                                .and(takesArgument(0, String.class)).and(isPublic()),
                        "execute*(String, ...)", advice("StatementExecute")),
                Hook.onImplementations("java.sql.PreparedStatement",
                        namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate", "executeBatch",
                                "executeLargeBatch").and(takesArguments(0)).and(isPublic()),
                        "execute*()", advice("PreparedExecute")),
                Hook.onImplementations("java.sql.Connection",
                        namedOneOf("prepareStatement", "prepareCall").and(takesArgument(0, String.class))
                                .and(isPublic()),
                        "prepare*(String, ...)", advice("PrepareNote")));
    }

}
