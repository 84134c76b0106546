package acme.db;

import org.h2.command.CommandInterface;
import org.h2.engine.Session;

import java.sql.SQLException;

/**
 * A statement of the small driver {@code acme.db} (see {@link AcmeDriver}): named as old drivers name theirs, nothing
 * in its name says {@code Statement}. It runs its SQL on an H2 session's own command interface, never through H2's
 * JDBC statements, so only a sensor on it can see the SQL.
 */
@SuppressWarnings("deprecation")
public class Stmt implements java.sql.Statement {

    private final Session session;
    private long updateCount = -1;
    private boolean closed;

    Stmt(Session session) {
        this.session = session;
    }

    /** Runs {@code sql} on the session: true when it was a query. */
    static boolean run(Session session, String sql, long[] updateCount) {
        try (CommandInterface command = session.prepareCommand(sql, Integer.MAX_VALUE)) {
            if (command.isQuery()) {
                command.executeQuery(0, false).close();
                updateCount[0] = -1;
                return true;
            }
            updateCount[0] = command.executeUpdate(null).getUpdateCount();
            return false;
        }
    }

    static SQLException unsupported() {
        return new java.sql.SQLFeatureNotSupportedException("not in the acme driver");
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return runCounting(sql);
    }

    /** Runs {@code sql} and keeps its update count: true when it was a query. Not a JDBC method, so not sensed. */
    boolean runCounting(String sql) {
        long[] count = new long[1];
        boolean query = run(session, sql, count);
        updateCount = count[0];
        return query;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        execute(sql);
        return (int) updateCount;
    }

    @Override
    public int getUpdateCount() {
        return (int) updateCount;
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(java.lang.Class<T> a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean execute(java.lang.String a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean execute(java.lang.String a0, int[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean execute(java.lang.String a0, java.lang.String[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean getMoreResults(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isWrapperFor(java.lang.Class<?> a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public int executeUpdate(java.lang.String a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public int executeUpdate(java.lang.String a0, int[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public int executeUpdate(java.lang.String a0, java.lang.String[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public int getFetchDirection() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getFetchSize() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getMaxRows() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getResultSetType() throws SQLException {
        throw unsupported();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Connection getConnection() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.ResultSet executeQuery(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.ResultSet getGeneratedKeys() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.ResultSet getResultSet() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        throw unsupported();
    }

    @Override
    public void addBatch(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void cancel() throws SQLException {
        throw unsupported();
    }

    @Override
    public void clearBatch() throws SQLException {
        throw unsupported();
    }

    @Override
    public void clearWarnings() throws SQLException {
        throw unsupported();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        throw unsupported();
    }

    @Override
    public void setCursorName(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setEscapeProcessing(boolean a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setFetchDirection(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setFetchSize(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setMaxFieldSize(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setMaxRows(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setPoolable(boolean a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setQueryTimeout(int a0) throws SQLException {
        throw unsupported();
    }

}
