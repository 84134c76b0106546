package dev.toolguard.policy.state.redis;

import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.StateUnavailableException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.resps.StreamEntry;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet view's records in a capped Redis stream, {@code <prefix>records} (SPEC §16): each entry is one redacted
 * audit record with the name of the replica that wrote it. {@code XADD ... MAXLEN ~} keeps the stream at about
 * {@link #MAX_ENTRIES} entries, so it holds the fleet's recent past, never its history (the audit logs do).
 *
 * <p>Its connections are its own, with a timeout of at least {@link #MIN_TIMEOUT}: a slow or absent Redis makes the
 * fleet view lag or stop, and nothing else. It runs no script: the calls' one {@code EVALSHA} stays what it was.
 */
public final class RedisDecisionStream implements DecisionStream, AutoCloseable {

    /** About how many records the stream keeps: the consoles' last hour on a busy fleet, at about 1 KB a record. */
    public static final long MAX_ENTRIES = 10_000;
    /** The fleet view waits this long at least for an answer: it is never on a call's path. */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    /** A feed and a console: one connection each is all they use. */
    private static final int CONNECTIONS = 2;

    private final JedisPooled redis;
    private final String key;
    private final String where;
    private final long maxEntries;
    private volatile String replica;

    RedisDecisionStream(HostAndPort address, DefaultJedisClientConfig config, String prefix, String server,
                        long maxEntries) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(CONNECTIONS);
        pool.setMaxIdle(CONNECTIONS);
        pool.setMaxWait(Duration.ofMillis(config.getSocketTimeoutMillis()));
        pool.setJmxEnabled(false);
        this.redis = new JedisPooled(address, config, pool);
        this.key = prefix + "records";
        this.where = "the stream " + key + " on " + server;
        this.maxEntries = maxEntries;
    }

    /**
     * The host's name (as {@code HOSTNAME} says, which a container's is, else as the system says) and the process id:
     * unique among replicas on one host as on many. Found on first use, which is on the feed's thread.
     */
    @Override
    public String replica() {
        String r = replica;
        if (r == null) {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (Exception | LinkageError e) {
                    host = "localhost";
                }
            }
            r = host + ":" + ProcessHandle.current().pid();
            replica = r;
        }
        return r;
    }

    @Override
    public String where() {
        return where;
    }

    /** One pipelined {@code XADD} per record, in one round trip; every answer is read, so a refusal is seen. */
    @Override
    public void publish(String replica, List<String> records) throws StateUnavailableException {
        if (records.isEmpty()) {
            return;
        }
        XAddParams capped = XAddParams.xAddParams().maxLen(maxEntries).approximateTrimming();
        try (Pipeline p = redis.pipelined()) {
            List<Response<StreamEntryID>> answers = new ArrayList<>(records.size());
            for (String record : records) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("replica", replica);
                fields.put("record", record);
                answers.add(p.xadd(key, capped, fields));
            }
            p.sync();
            for (Response<StreamEntryID> a : answers) {
                a.get();
            }
        } catch (RuntimeException e) {
            throw new StateUnavailableException("the fleet view's stream cannot be written: "
                    + RedisSharedState.describe(e), e);
        }
    }

    @Override
    public List<Entry> read(String afterId, long sinceEpochMillis, int max) throws StateUnavailableException {
        String start = afterId == null ? Math.max(0, sinceEpochMillis) + "-0" : next(afterId);
        List<StreamEntry> entries;
        try {
            entries = redis.xrange(key, start, "+", max);
        } catch (RuntimeException e) {
            throw new StateUnavailableException("the fleet view's stream cannot be read: "
                    + RedisSharedState.describe(e), e);
        }
        List<Entry> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            Map<String, String> f = e.getFields();
            if (f.get("record") != null) {
                out.add(new Entry(e.getID().toString(), f.getOrDefault("replica", "?"), f.get("record")));
            }
        }
        return out;
    }

    /** The smallest id after {@code id} ({@code XRANGE}'s exclusive start needs Redis 6.2; this works on any). */
    static String next(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            return id + "-1";
        }
        long seq = Long.parseLong(id.substring(dash + 1));
        long ms = Long.parseLong(id.substring(0, dash));
        return seq == Long.MAX_VALUE ? (ms + 1) + "-0" : ms + "-" + (seq + 1);
    }

    @Override
    public void close() {
        redis.close();
    }
}
