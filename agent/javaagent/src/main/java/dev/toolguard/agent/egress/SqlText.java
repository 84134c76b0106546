package dev.toolguard.agent.egress;

import dev.toolguard.policy.egress.EgressRequest;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.util.TablesNamesFinder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a SQL text does, read by a real SQL parser (JSqlParser, relocated into the agent), never by patterns: the kind
 * of every statement in it (a second statement smuggled after a {@code ;} included) and every table it names. Parsed
 * once per distinct text: the result is cached, and the cache is bounded. Text that does not parse, is too long, or
 * takes too long to parse is unreadable, which the policy refuses wherever {@code sql} is restricted.
 */
final class SqlText {

    /** Longer texts are not parsed (unreadable): parsing is bounded like every other hostile input. */
    static final int MAX_CHARS = 100_000;
    /** Distinct texts kept; applications use few (prepared statements), so a full cache is a sign of literals. */
    static final int MAX_CACHED = 4096;
    private static final long PARSE_TIMEOUT_MS = 2_000;

    /**
     * What a text is: its statement kinds and tables, as written (lower case, unquoted), or why it cannot be read.
     *
     * @param unqualified whether some table has no schema (then the connection's schema is put in front of it)
     */
    record Parsed(EgressRequest request, boolean unqualified) {
    }

    private final ConcurrentHashMap<String, Parsed> cache = new ConcurrentHashMap<>();
    /** Parses run here, each with a timeout (JSqlParser's own per-call executor would start a thread per parse). */
    private final ExecutorService parsers = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> {
                Thread t = new Thread(r, "toolguard-sql-parse");
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());

    /**
     * The egress a text is, with unqualified tables put in {@code schema} (asked only when some table needs it).
     */
    EgressRequest read(String sql, Supplier<String> schema) {
        Parsed p = parsed(sql);
        if (!p.unqualified() || p.request().problem() != null) {
            return p.request();
        }
        String s = schema.get();
        List<String> tables = new ArrayList<>(p.request().targets().size());
        for (String t : p.request().targets()) {
            tables.add(t.indexOf('.') < 0 ? (s == null ? t : s + "." + t) : t);
        }
        return EgressRequest.sql(p.request().actions(), List.copyOf(tables));
    }

    Parsed parsed(String sql) {
        if (sql == null) {
            return new Parsed(EgressRequest.unreadableSql("no SQL text"), false);
        }
        Parsed p = cache.get(sql);
        if (p != null) {
            return p;
        }
        p = parse(sql);
        if (cache.size() < MAX_CACHED) {
            cache.putIfAbsent(sql, p);
        }
        return p;
    }

    private Parsed parse(String sql) {
        if (sql.length() > MAX_CHARS) {
            return new Parsed(EgressRequest.unreadableSql("the SQL text is longer than " + MAX_CHARS + " characters"), false);
        }
        Statements statements;
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withTimeOut(PARSE_TIMEOUT_MS);
            statements = CCJSqlParserUtil.parseStatements(parser, parsers);
        } catch (Exception | StackOverflowError e) {
            return new Parsed(EgressRequest.unreadableSql("the SQL does not parse"), false);
        }
        if (statements == null || statements.isEmpty()) {
            return new Parsed(EgressRequest.unreadableSql("the SQL holds no statement"), false);
        }
        List<String> kinds = new ArrayList<>();
        Set<String> tables = new LinkedHashSet<>();
        boolean unqualified = false;
        for (Statement st : statements) {
            kinds.add(kind(st));
            Set<String> names;
            try {
                names = new TablesNamesFinder<Void>().getTables(st);
            } catch (RuntimeException unsupported) {
                return new Parsed(EgressRequest.unreadableSql("the tables of a " + kind(st)
                        + " statement cannot be read"), false);
            }
            for (String name : names) {
                String table = normalise(name);
                unqualified |= table.indexOf('.') < 0;
                tables.add(table);
            }
        }
        return new Parsed(EgressRequest.sql(List.copyOf(kinds), List.copyOf(tables)), unqualified);
    }

    /** {@code "CRM"."Accounts"} and {@code cat.crm.accounts} are {@code crm.accounts}. */
    static String normalise(String written) {
        String[] parts = written.split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, parts.length - 2); i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() >= 2 && "\"`[".indexOf(p.charAt(0)) >= 0) {
                p = p.substring(1, p.length() - 1);
            }
            out.append(out.length() == 0 ? "" : ".").append(p.toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** The statement kind as policies write it ({@code EgressReader.STATEMENT_KINDS}). */
    static String kind(Statement st) {
        if (st instanceof Select) {
            return "select";
        }
        if (st instanceof Insert) {
            return "insert";
        }
        if (st instanceof Update) {
            return "update";
        }
        if (st instanceof Delete) {
            return "delete";
        }
        if (st instanceof Merge) {
            return "merge";
        }
        if (st instanceof Upsert) {
            return "upsert";
        }
        if (st instanceof Drop) {
            return "drop";
        }
        if (st instanceof Truncate) {
            return "truncate";
        }
        // the rest by name: the parser has one class per dialect's variant (CreateTable, CreateIndex, AlterView...)
        String name = st.getClass().getSimpleName();
        for (String prefix : List.of("create", "alter", "grant", "revoke", "execute", "set", "use", "show", "explain",
                "commit", "rollback", "comment")) {
            if (name.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return prefix;
            }
        }
        return "other";
    }
}
