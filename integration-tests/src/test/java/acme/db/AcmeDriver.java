package acme.db;

import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A small real JDBC driver for {@code jdbc:acme:<H2 URL without jdbc:h2:>}, whose classes are named as some drivers
 * name theirs ({@link Conn}, {@link Stmt}, {@link Prep}: nothing says {@code Statement} or {@code Connection}). It
 * reaches H2 through H2's session, so no H2 statement runs the SQL: what a sensor sees of it, it sees on these classes.
 */
public class AcmeDriver implements java.sql.Driver {

    private static final String PREFIX = "jdbc:acme:";

    @Override
    public java.sql.Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        return new Conn(new org.h2.Driver().connect("jdbc:h2:" + url.substring(PREFIX.length()), info));
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no logger");
    }
}
