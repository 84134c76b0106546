package acme.db;

import org.h2.engine.Session;

import java.sql.SQLException;

import static acme.db.Stmt.unsupported;

/** A prepared statement of the driver {@code acme.db}: its SQL runs on the H2 session when it is executed. */
@SuppressWarnings("deprecation")
public class Prep implements java.sql.PreparedStatement {

    private final Session session;
    private final String sql;
    private long updateCount = -1;
    private boolean closed;

    Prep(Session session, String sql) {
        this.session = session;
        this.sql = sql;
    }

    @Override
    public boolean execute() throws SQLException {
        long[] count = new long[1];
        boolean query = Stmt.run(session, sql, count);
        updateCount = count[0];
        return query;
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
    public boolean execute(java.lang.String a0) throws SQLException {
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
    public int executeUpdate() throws SQLException {
        throw unsupported();
    }

    @Override
    public int executeUpdate(java.lang.String a0) throws SQLException {
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
    public java.sql.ParameterMetaData getParameterMetaData() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.ResultSet executeQuery() throws SQLException {
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
    public java.sql.ResultSetMetaData getMetaData() throws SQLException {
        throw unsupported();
    }

    @Override
    public java.sql.SQLWarning getWarnings() throws SQLException {
        throw unsupported();
    }

    @Override
    public void addBatch() throws SQLException {
        throw unsupported();
    }

    @Override
    public void clearParameters() throws SQLException {
        throw unsupported();
    }

    @Override
    public void setArray(int a0, java.sql.Array a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setAsciiStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBigDecimal(int a0, java.math.BigDecimal a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBinaryStream(int a0, java.io.InputStream a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBlob(int a0, java.io.InputStream a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBlob(int a0, java.io.InputStream a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBlob(int a0, java.sql.Blob a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBoolean(int a0, boolean a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setByte(int a0, byte a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setBytes(int a0, byte[] a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setClob(int a0, java.io.Reader a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setClob(int a0, java.io.Reader a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setClob(int a0, java.sql.Clob a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setDate(int a0, java.sql.Date a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setDate(int a0, java.sql.Date a1, java.util.Calendar a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setDouble(int a0, double a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setFloat(int a0, float a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setInt(int a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setLong(int a0, long a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNCharacterStream(int a0, java.io.Reader a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNCharacterStream(int a0, java.io.Reader a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNClob(int a0, java.io.Reader a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNClob(int a0, java.io.Reader a1, long a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNClob(int a0, java.sql.NClob a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNString(int a0, java.lang.String a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNull(int a0, int a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setNull(int a0, int a1, java.lang.String a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setObject(int a0, java.lang.Object a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setObject(int a0, java.lang.Object a1, int a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setObject(int a0, java.lang.Object a1, int a2, int a3) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setRef(int a0, java.sql.Ref a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setRowId(int a0, java.sql.RowId a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setSQLXML(int a0, java.sql.SQLXML a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setShort(int a0, short a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setString(int a0, java.lang.String a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setTime(int a0, java.sql.Time a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setTime(int a0, java.sql.Time a1, java.util.Calendar a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setTimestamp(int a0, java.sql.Timestamp a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setTimestamp(int a0, java.sql.Timestamp a1, java.util.Calendar a2) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setURL(int a0, java.net.URL a1) throws SQLException {
        throw unsupported();
    }

    @Override
    public void setUnicodeStream(int a0, java.io.InputStream a1, int a2) throws SQLException {
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
