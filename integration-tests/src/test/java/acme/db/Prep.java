package acme.db;

import org.h2.engine.Session;

import java.sql.SQLException;

/**
 * A prepared statement of the driver {@code acme.db}: its SQL runs on the H2 session when it is executed. What it
 * shares with a statement is {@link Stmt}'s.
 */
@SuppressWarnings("deprecation")
public class Prep extends Stmt implements java.sql.PreparedStatement {

    private final String sql;

    Prep(Session session, String sql) {
        super(session);
        this.sql = sql;
    }

    @Override
    public boolean execute() throws SQLException {
        return runCounting(sql);
    }

    /** A prepared statement runs its own SQL only (JDBC): SQL given to it is refused, as the statement's is not. */
    @Override
    public boolean execute(String sql) throws SQLException {
        throw unsupported();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw unsupported();
    }

    @Override
    public int executeUpdate() throws SQLException {
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
    public java.sql.ResultSetMetaData getMetaData() throws SQLException {
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

}
