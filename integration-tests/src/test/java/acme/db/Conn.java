package acme.db;

import org.h2.engine.Session;

import java.sql.SQLException;

import static acme.db.Stmt.unsupported;

/** A connection of the driver {@code acme.db}: an H2 session, whose statements are {@link Stmt} and {@link Prep}. */
@SuppressWarnings("deprecation")
public class Conn implements java.sql.Connection {

    private final java.sql.Connection h2;
    private final Session session;

    Conn(java.sql.Connection h2) {
        this.h2 = h2;
        this.session = ((org.h2.jdbc.JdbcConnection) h2).getSession();
    }

    @Override
    public java.sql.Statement createStatement() {
        return new Stmt(session);
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(String sql) {
        return new Prep(session, sql);
    }

    @Override
    public void close() throws SQLException {
        h2.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return h2.isClosed();
    }

    @Override
    public <T> T unwrap(java.lang.Class<T> a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isValid(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public boolean isWrapperFor(java.lang.Class<?> a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public int getHoldability() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        throw unsupported();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.lang.String getCatalog() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.lang.String getClientInfo(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.lang.String getSchema() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.lang.String nativeSQL(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Array createArrayOf(java.lang.String a0, java.lang.Object[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Blob createBlob() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.CallableStatement prepareCall(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.CallableStatement prepareCall(java.lang.String a0, int a1, int a2, int a3) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Clob createClob() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.DatabaseMetaData getMetaData() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.NClob createNClob() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int a1, int a2, int a3) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, int[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.PreparedStatement prepareStatement(java.lang.String a0, java.lang.String[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.SQLXML createSQLXML() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Savepoint setSavepoint() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Savepoint setSavepoint(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Statement createStatement(int a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Statement createStatement(int a0, int a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.Struct createStruct(java.lang.String a0, java.lang.Object[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public java.util.Map<java.lang.String, java.lang.Class<?>> getTypeMap() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.util.Properties getClientInfo() throws SQLException {
        throw unsupported();
    }

    @Override
    public void abort(java.util.concurrent.Executor a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void clearWarnings() throws SQLException {
        throw unsupported();
    }

    @Override
    public void commit() throws SQLException {
        throw unsupported();
    }

    @Override
    public void releaseSavepoint(java.sql.Savepoint a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void rollback() throws SQLException {
        throw unsupported();
    }

    @Override
    public void rollback(java.sql.Savepoint a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setAutoCommit(boolean a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setCatalog(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setClientInfo(java.lang.String a0, java.lang.String a1) throws java.sql.SQLClientInfoException {
        throw new java.sql.SQLClientInfoException();
    }

    @Override
    public void setClientInfo(java.util.Properties a0) throws java.sql.SQLClientInfoException {
        throw new java.sql.SQLClientInfoException();
    }

    @Override
    public void setHoldability(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNetworkTimeout(java.util.concurrent.Executor a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setReadOnly(boolean a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setSchema(java.lang.String a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setTransactionIsolation(int a0) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setTypeMap(java.util.Map<java.lang.String, java.lang.Class<?>> a0) throws SQLException {
        throw unsupported();
    }

}
