package dev.toolguard.policy.state.redis;

import dev.toolguard.policy.state.SharedCheck;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.StateListener;
import dev.toolguard.policy.state.StateUnavailableException;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The shared state on a Redis server (SPEC §14), through Jedis: one {@code EVALSHA} per call for its whole
 * check-and-charge. When Redis does not answer within the timeout, the store says so once (to its
 * {@link StateListener}), calls go by {@code on_unavailable} without waiting on it, and a probe asks Redis every
 * {@link #PROBE_EVERY} until it answers again.
 *
 * <p>This is the only class that names the Redis client: the agent reaches it only with {@code state.store: redis}.
 */
public final class RedisSharedState implements SharedState, AutoCloseable {

    /** How often a store that stopped answering is asked again: well within the 2 s the spec allows for recovery. */
    static final Duration PROBE_EVERY = Duration.ofMillis(250);

    /** Connections to Redis at most; each is busy for one round trip, so this serves far more calling threads. */
    static final int MAX_CONNECTIONS = 128;

    private final RedisSettings settings;
    private final OnUnavailable onUnavailable;
    private final StateListener listener;
    private final JedisPooled redis;
    private final AtomicBoolean answering = new AtomicBoolean();
    private final ScheduledExecutorService probe;
    /** The SHA-1 of each {@link Script} as Redis knows it, by ordinal: loaded again when Redis forgot them. */
    private volatile String[] shas = new String[Script.values().length];
    /** Where Redis is and how to log in: for the one connection that listens for approval changes. */
    private final HostAndPort address;
    private final DefaultJedisClientConfig listenerConfig;
    private volatile RedisApprovalStore approvals;
    private RedisDecisionStream decisionStream;
    /** Names each check's charge marker: this store's random part, then a count. */
    private final String markerPrefix;
    private final AtomicLong checks = new AtomicLong();
    /** Checks whose answer was lost: they may have charged; given back once Redis answers again. */
    private final Queue<Doubt> doubts = new ConcurrentLinkedQueue<>();

    private record Doubt(String marker, SharedCheck check) {
    }

    /** Connects (or starts probing, when Redis does not answer yet). Never throws for an unreachable server. */
    public RedisSharedState(RedisSettings settings, OnUnavailable onUnavailable, StateListener listener) {
        this.settings = settings;
        this.onUnavailable = onUnavailable;
        this.listener = listener;
        int timeout = (int) Math.max(1, Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
        DefaultJedisClientConfig.Builder client = clientConfig(timeout).socketTimeoutMillis(timeout);
        // a subscriber waits for messages as long as there are none: no read timeout on its connection
        this.listenerConfig = clientConfig(timeout).socketTimeoutMillis(0).clientName("toolguard-approvals").build();
        this.address = new HostAndPort(settings.url().getHost(), settings.port());
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setMaxIdle(MAX_CONNECTIONS);
        // a call that finds every connection busy for longer than the timeout goes by on_unavailable, alone
        pool.setMaxWait(Duration.ofMillis(timeout));
        pool.setJmxEnabled(false);
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        this.markerPrefix = settings.prefix() + "c:" + HexFormat.of().formatHex(random) + ":";
        this.redis = new JedisPooled(address, client.build(), pool);
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolguard-state-probe");
            t.setDaemon(true);
            return t;
        });
        String first = connect();
        if (first == null) {
            answering.set(true);
            listener.switched(true, "the shared state store " + settings.where() + " answers");
        } else {
            listener.switched(false, "the shared state store " + settings.where() + " does not answer: " + first);
        }
        long every = PROBE_EVERY.toMillis();
        probe.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    /** A connection's settings: this store's server, login and database, with {@code timeout} milliseconds to connect. */
    DefaultJedisClientConfig.Builder clientConfig(int timeout) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .database(settings.database()).ssl(settings.tls())
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED).clientName("toolguard");
        if (settings.user() != null) {
            client.user(settings.user());
        }
        if (settings.effectivePassword() != null) {
            client.password(settings.effectivePassword());
        }
        return client;
    }

    /**
     * The approvals of the fleet in this store (SPEC §14), on the same connections and the same view of whether
     * Redis answers. One per store.
     *
     * @param redaction what the records of approvals must not hold (SPEC §13.10)
     * @param clock     the approvals' clock (how long records are kept)
     */
    public synchronized RedisApprovalStore approvals(dev.toolguard.policy.values.Redaction redaction,
                                                     java.time.Clock clock) {
        if (approvals == null) {
            approvals = new RedisApprovalStore(this, settings.prefix(), redaction, clock);
        }
        return approvals;
    }

    /**
     * The stream of the fleet view (SPEC §16), on connections of its own: what it does (or fails to do) never
     * touches the calls' connections nor this store's view of whether Redis answers. One per store.
     */
    public synchronized RedisDecisionStream decisionStream() {
        if (decisionStream == null) {
            int timeout = (int) Math.max(RedisDecisionStream.MIN_TIMEOUT.toMillis(),
                    Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
            decisionStream = new RedisDecisionStream(address, clientConfig(timeout).socketTimeoutMillis(timeout)
                    .clientName("toolguard-fleet-view").build(),
                    clientConfig(timeout).socketTimeoutMillis(0).clientName("toolguard-fleet-view").build(),
                    settings.prefix(), settings.where(), RedisDecisionStream.MAX_ENTRIES);
        }
        return decisionStream;
    }

    HostAndPort address() {
        return address;
    }

    DefaultJedisClientConfig listenerConfig() {
        return listenerConfig;
    }

    @Override
    public OnUnavailable onUnavailable() {
        return onUnavailable;
    }

    @Override
    public boolean answering() {
        return answering.get();
    }

    @Override
    public SharedCheck.Result check(SharedCheck check) throws StateUnavailableException {
        if (!answering.get()) {
            throw new StateUnavailableException("the shared state store does not answer", null);
        }
        String prefix = settings.prefix();
        String marker = markerPrefix + checks.incrementAndGet();
        List<String> keys = new ArrayList<>(4 + check.more().size());
        keys.add(check.session() == null ? prefix + "h:" : prefix + "h:" + check.session());
        keys.add(check.bucket() == null ? prefix + "r:" : prefix + "r:" + check.bucket());
        keys.add(check.account() == null ? prefix + "b:" : prefix + "b:" + check.account());
        keys.add(marker);
        for (SharedCheck.Bucket b : check.more()) {
            keys.add(prefix + "r:" + b.bucket());
        }
        List<String> args = new ArrayList<>(16);
        args.add(Integer.toString(check.sequences().size()));
        for (SharedCheck.Sequence s : check.sequences()) {
            args.add(Long.toString(s.since()));
            args.add(s.enforced() ? "1" : "0");
            args.add(Integer.toString(s.after().size()));
            for (String glob : s.after()) {
                args.add(RedisScripts.luaPattern(glob));
            }
        }
        args.add(check.bucket() == null ? "0" : "1");
        args.add(Long.toString(check.rateLimit()));
        args.add(check.ratePer() == null ? "1" : micros(check.ratePer()));
        args.add(check.account() == null ? "0" : "1");
        args.add(Double.toString(check.cost()));
        args.add(Double.toString(check.budget()));
        args.add(check.budgetPer() == null ? "1" : Long.toString(Math.max(1, check.budgetPer().toMillis())));
        args.add(Integer.toString(check.more().size()));
        for (SharedCheck.Bucket b : check.more()) {
            args.add(Long.toString(b.limit()));
            args.add(micros(b.per()));
        }
        List<?> answer;
        try {
            answer = (List<?>) run(Script.CHECK, keys, args);
        } catch (StateUnavailableException e) {
            if (check.bucket() != null || check.account() != null || !check.more().isEmpty()) {
                // the script may have run and charged although its answer never came: the call does not go ahead
                // on that charge, so it is given back as soon as Redis answers (if the marker says it ran)
                doubts.add(new Doubt(marker, check));
            }
            throw e;
        }
        String armedText = String.valueOf(answer.get(0));
        boolean[] armed = new boolean[check.sequences().size()];
        for (int i = 0; i < armed.length && i < armedText.length(); i++) {
            armed[i] = armedText.charAt(i) == '1';
        }
        int status = ((Number) answer.get(1)).intValue();
        long window = Long.parseLong(String.valueOf(answer.get(2)));
        int empty = answer.size() > 3 ? ((Number) answer.get(3)).intValue() : -1;
        return switch (status) {
            case 1 -> new SharedCheck.Result(armed, SharedCheck.CHARGED, new SharedCheck.Charged(check.bucket(),
                    check.rateLimit(), check.ratePer(), check.account(), check.cost(), check.budgetPer(), window,
                    check.more()));
            case 2 -> new SharedCheck.Result(armed, SharedCheck.NO_TOKEN, null, empty);
            case 3 -> new SharedCheck.Result(armed, SharedCheck.NO_BUDGET, null);
            default -> new SharedCheck.Result(armed, SharedCheck.NOT_CHARGED, null);
        };
    }

    @Override
    public void release(SharedCheck.Charged charged) {
        String prefix = settings.prefix();
        List<String> keys = new ArrayList<>(2 + charged.more().size());
        keys.add(charged.bucket() == null ? prefix + "r:" : prefix + "r:" + charged.bucket());
        keys.add(charged.account() == null ? prefix + "b:" : prefix + "b:" + charged.account() + ":" + charged.windowStart());
        List<String> args = new ArrayList<>(5 + charged.more().size());
        args.addAll(List.of(charged.bucket() == null ? "0" : "1", Long.toString(charged.rateLimit()),
                charged.account() == null ? "0" : "1", Double.toString(charged.cost())));
        moreBuckets(prefix, charged.more(), keys, args);
        try {
            run(Script.RELEASE, keys, args);
        } catch (StateUnavailableException e) {
            // nothing more to do: the charge stands, which is the side that never loosens a limit
        }
    }

    @Override
    public boolean recordAllowed(String session, String tool, long epochMillis, long keepMillis) {
        try {
            run(Script.RECORD, List.of(settings.prefix() + "h:" + session),
                    List.of(tool, Long.toString(epochMillis), Long.toString(Math.max(1, keepMillis))));
            return true;
        } catch (StateUnavailableException e) {
            return false;
        }
    }

    /** Stops the probe (and the approvals' listener) and closes the connections. */
    @Override
    public void close() {
        probe.shutdownNow();
        RedisApprovalStore a = approvals;
        if (a != null) {
            a.close();
        }
        synchronized (this) {
            if (decisionStream != null) {
                decisionStream.close();
            }
        }
        redis.close();
    }

    /** Every script this store runs, loaded together. */
    enum Script {
        CHECK(RedisScripts.CHECK), RELEASE(RedisScripts.RELEASE), RECORD(RedisScripts.RECORD),
        RELEASE_IF_CHARGED(RedisScripts.RELEASE_IF_CHARGED),
        APPROVAL_ADD(ApprovalScripts.ADD), APPROVAL_REPLACE(ApprovalScripts.REPLACE),
        APPROVAL_PENDING(ApprovalScripts.PENDING), APPROVAL_FOR_TICKET(ApprovalScripts.FOR_TICKET);

        final String source;

        Script(String source) {
            this.source = source;
        }
    }

    /** Runs a script: one round trip (two when Redis forgot the scripts since they were loaded). */
    Object run(Script script, List<String> keys, List<String> args) throws StateUnavailableException {
        return command(r -> {
            try {
                return r.evalsha(sha(script), keys, args);
            } catch (JedisNoScriptException e) {
                // Redis restarted (or flushed its scripts) since they were loaded
                loadScripts();
                return r.evalsha(sha(script), keys, args);
            }
        });
    }

    /**
     * Runs one command on a pooled connection; a store that does not answer throws (and is then no longer
     * answering until the probe finds it again).
     */
    <T> T command(java.util.function.Function<JedisPooled, T> command) throws StateUnavailableException {
        if (!answering.get()) {
            throw new StateUnavailableException("the shared state store does not answer", null);
        }
        try {
            return command.apply(redis);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof java.util.NoSuchElementException busy && busy.getCause() == null) {
                // every connection was busy: this call cannot wait longer, but Redis itself answers
                throw new StateUnavailableException("no connection to the shared state store was free in time", e);
            }
            // a timeout, a refused connection, or an error answer: the store cannot decide this call
            down(e);
            throw new StateUnavailableException("the shared state store does not answer: " + describe(e), e);
        }
    }

    private String sha(Script script) {
        return shas[script.ordinal()];
    }

    /** Null when Redis answers (and has the scripts), else what went wrong. */
    private String connect() {
        try {
            redis.ping();
            loadScripts();
            return null;
        } catch (RuntimeException e) {
            return describe(e);
        }
    }

    private void loadScripts() {
        String[] loaded = new String[Script.values().length];
        for (Script script : Script.values()) {
            loaded[script.ordinal()] = redis.scriptLoad(script.source);
        }
        shas = loaded;
    }

    /** Gives back what the checks whose answer was lost charged, if they ran; what cannot be settled now stays. */
    private void settleDoubts() {
        String prefix = settings.prefix();
        for (Doubt d = doubts.peek(); d != null; d = doubts.peek()) {
            SharedCheck c = d.check();
            List<String> keys = new ArrayList<>(List.of(d.marker(),
                    c.bucket() == null ? prefix + "r:" : prefix + "r:" + c.bucket(),
                    c.account() == null ? prefix + "b:" : prefix + "b:" + c.account()));
            List<String> args = new ArrayList<>(List.of(c.bucket() == null ? "0" : "1", Long.toString(c.rateLimit()),
                    c.account() == null ? "0" : "1", Double.toString(c.cost())));
            moreBuckets(prefix, c.more(), keys, args);
            redis.evalsha(sha(Script.RELEASE_IF_CHARGED), keys, args);
            doubts.remove(d);
        }
    }

    /** The further buckets of a release: their keys after the others, their count and limits after the others. */
    private static void moreBuckets(String prefix, List<SharedCheck.Bucket> more, List<String> keys, List<String> args) {
        args.add(Integer.toString(more.size()));
        for (SharedCheck.Bucket b : more) {
            keys.add(prefix + "r:" + b.bucket());
            args.add(Long.toString(b.limit()));
        }
    }

    private static String micros(java.time.Duration per) {
        return Long.toString(Math.max(1, per.toNanos() / 1000));
    }

    private void down(RuntimeException e) {
        if (answering.compareAndSet(true, false)) {
            listener.switched(false, "the shared state store " + settings.where() + " does not answer: " + describe(e));
        }
    }

    private void probe() {
        try {
            if (answering.get()) {
                return;
            }
            String problem = connect();
            if (problem == null) {
                settleDoubts(); // before calls use the store again, so that a lost charge is never counted against them
            }
            if (problem == null && answering.compareAndSet(false, true)) {
                listener.switched(true, "the shared state store " + settings.where() + " answers again");
                RedisApprovalStore waiting = approvals;
                if (waiting != null) {
                    waiting.answersAgain(); // calls that could not read their approval meanwhile look again now
                }
            }
        } catch (Throwable t) {
            // the probe must keep running whatever happens; the next one tries again
        }
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
