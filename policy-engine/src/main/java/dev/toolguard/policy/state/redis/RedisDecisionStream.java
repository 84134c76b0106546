package dev.toolguard.policy.state.redis;

import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.StateUnavailableException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The fleet view's records in a capped Redis stream, {@code <prefix>records} (SPEC §16): each entry is one redacted
 * audit record with the name of the replica that wrote it. {@code XADD ... MAXLEN ~} keeps the stream at about
 * {@link #MAX_ENTRIES} entries, so it holds the fleet's recent past, never its history (the audit logs do).
 *
 * <p>Its connections are its own, with a timeout of at least {@link #MIN_TIMEOUT}: a slow or absent Redis makes the
 * fleet view lag or stop, and nothing else. It runs no script: the calls' one {@code EVALSHA} stays what it was.
 *
 * <p>A viewed console {@code PUBLISH}es {@value #WANTED} on {@code <prefix>fleet-view}; each replica's feed listens
 * there on a subscription made once at start (as the approvals' wake-up does), so that a fleet nobody looks at sends
 * Redis no command at all (SPEC §14: a stateless tool makes none).
 */
public final class RedisDecisionStream implements DecisionStream, AutoCloseable {

    /** About how many records the stream keeps: the consoles' last hour on a busy fleet, at about 1 KB a record. */
    public static final long MAX_ENTRIES = 10_000;
    /** The fleet view waits this long at least for an answer: it is never on a call's path. */
    static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    /** A feed and a console: one connection each is all they use. */
    private static final int CONNECTIONS = 2;
    /** The message a viewed console sends on the channel. */
    static final String WANTED = "wanted";
    /** How often a lost subscription is tried again (as the store's own probe). */
    private static final Duration RESUBSCRIBE_EVERY = RedisSharedState.PROBE_EVERY;

    private final JedisPooled redis;
    private final String key;
    private final String channel;
    private final String where;
    private final long maxEntries;
    private final HostAndPort address;
    /** The subscription's connection: no read timeout, since it waits for messages as long as there are none. */
    private final DefaultJedisClientConfig listenerConfig;
    private final List<Runnable> wanted = new CopyOnWriteArrayList<>();
    private volatile String replica;
    private volatile boolean closed;
    private volatile JedisPubSub subscription;
    private Thread listener;

    RedisDecisionStream(HostAndPort address, DefaultJedisClientConfig config, DefaultJedisClientConfig listenerConfig,
                        String prefix, String server, long maxEntries) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(CONNECTIONS);
        pool.setMaxIdle(CONNECTIONS);
        pool.setMaxWait(Duration.ofMillis(config.getSocketTimeoutMillis()));
        pool.setJmxEnabled(false);
        this.redis = new JedisPooled(address, config, pool);
        this.key = prefix + "records";
        this.channel = prefix + "fleet-view";
        this.address = address;
        this.listenerConfig = listenerConfig;
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

    @Override
    public void want() throws StateUnavailableException {
        try {
            redis.publish(channel, WANTED);
        } catch (RuntimeException e) {
            throw new StateUnavailableException("the fleet view cannot be asked for: " + RedisSharedState.describe(e), e);
        }
    }

    /** One subscription for every listener of this process; the first call waits up to {@link #MIN_TIMEOUT} for it. */
    @Override
    public void onWanted(Runnable wanted) {
        this.wanted.add(wanted);
        CountDownLatch subscribed = new CountDownLatch(1);
        synchronized (this) {
            if (listener != null) {
                return;
            }
            listener = new Thread(() -> listen(subscribed), "toolguard-fleet-view-wanted");
            listener.setDaemon(true);
            listener.start();
        }
        try {
            // so that the subscription is made at start, before the first call, and never counts against one
            subscribed.await(MIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void listen(CountDownLatch subscribed) {
        while (!closed) {
            JedisPubSub s = new JedisPubSub() {
                @Override
                public void onSubscribe(String ch, int count) {
                    subscribed.countDown();
                }

                @Override
                public void onMessage(String ch, String message) {
                    if (WANTED.equals(message)) {
                        for (Runnable w : wanted) {
                            try {
                                w.run();
                            } catch (RuntimeException e) {
                                // a listener's trouble must not end the subscription
                            }
                        }
                    }
                }
            };
            subscription = s;
            try (Jedis connection = new Jedis(address, listenerConfig)) {
                if (!closed) {
                    connection.subscribe(s, channel);
                }
            } catch (RuntimeException e) {
                // Redis went away (or never answered): subscribe again shortly; a viewed console asks again anyway
            }
            subscribed.countDown(); // the first attempt failed: start-up goes on without waiting longer
            if (!closed) {
                LockSupport.parkNanos(RESUBSCRIBE_EVERY.toNanos());
            }
        }
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
        closed = true;
        JedisPubSub s = subscription;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                // not subscribed (any more): the thread ends at its next look at closed
            }
        }
        Thread t;
        synchronized (this) {
            t = listener;
        }
        if (t != null) {
            t.interrupt();
        }
        redis.close();
    }
}
