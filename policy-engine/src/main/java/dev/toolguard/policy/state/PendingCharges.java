package dev.toolguard.policy.state;

import java.time.Duration;

/**
 * The charges of the call being decided on this thread, held until its decision record is written (SPEC §13.7):
 * the agent opens them before deciding, then commits them once the record is with the OS, or releases them when it
 * could not be written, so that a call denied for want of its record charges nothing.
 *
 * <p>Rate-limit tokens and budget amounts are taken at once, as deciding checks them (that is what keeps limits
 * exact under races); releasing gives them back. Session history is only written on commit. Where no charges are
 * open on the thread (the CLI, tests, an engine used as a library) everything is charged and written at once.
 * One instance per thread, reused: opening allocates nothing.
 */
public final class PendingCharges {

    private static final ThreadLocal<PendingCharges> THREAD = ThreadLocal.withInitial(PendingCharges::new);

    private boolean open;
    // a token per applicable rate limit, one budget charge and one history entry per call; a second of a kind (an
    // approved call's admission after its request) replaces nothing, it is kept beside the first. Room for the
    // common case; a call with more entries (rate_limit lists, bundle-level limits) grows it once for this thread
    private Object[][] entries = new Object[6][];
    private int size;
    // the one history entry of an allowed call, the entry every allowed call has, in fields of its own: held
    // without an array or boxed numbers (a second one of a call goes into entries)
    private SessionHistory history;
    private String historySession;
    private String historyTool;
    private long historyAtMillis;
    private long historyKeepUntilMillis;

    private PendingCharges() {
    }

    /** Starts holding this thread's charges; returns them for {@link #commit} or {@link #release}. */
    public static PendingCharges open() {
        PendingCharges p = THREAD.get();
        p.open = true;
        p.size = 0;
        p.history = null;
        return p;
    }

    /** A token taken from {@code bucket} for the call being decided. */
    public static void tokenTaken(RateLimiter limiter, String bucket, long limit, Duration per) {
        PendingCharges p = THREAD.get();
        if (p.open) {
            p.add(new Object[] {limiter, bucket, limit, per});
        }
    }

    /** {@code cost} charged to {@code account} at {@code atMillis} for the call being decided. */
    public static void charged(BudgetLedger ledger, String account, double cost, Duration per, long atMillis) {
        PendingCharges p = THREAD.get();
        if (p.open) {
            p.add(new Object[] {ledger, account, cost, per, atMillis});
        }
    }

    /** What the shared store charged for the call being decided (given back on release). */
    public static void charged(SharedState shared, SharedCheck.Charged charged) {
        PendingCharges p = THREAD.get();
        if (p.open) {
            p.add(new Object[] {shared, charged});
        }
    }

    /**
     * As {@link #allowed(SessionHistory, String, String, long, long)}, into the shared store's history; into {@code local}
     * when the store does not answer and {@code on_unavailable} is {@code local}.
     */
    public static void allowed(SharedState shared, SessionHistory local, String session, String tool, long atMillis,
                               long keepMillis) {
        PendingCharges p = THREAD.get();
        if (p.open) {
            p.add(new Object[] {shared, local, session, tool, atMillis, keepMillis});
        } else {
            recordShared(shared, local, session, tool, atMillis, keepMillis);
        }
    }

    private static void recordShared(SharedState shared, SessionHistory local, String session, String tool,
                                     long atMillis, long keepMillis) {
        if (!shared.recordAllowed(session, tool, atMillis, keepMillis)
                && shared.onUnavailable() == SharedState.OnUnavailable.LOCAL) {
            long keep = Math.max(keepMillis, local.sessionTtl().toMillis());
            local.recordAllowed(session, tool, atMillis, atMillis > Long.MAX_VALUE - keep ? Long.MAX_VALUE : atMillis + keep);
        }
    }

    /**
     * The call being decided will run: in its session's history, kept until {@code keepUntilMillis}, once committed
     * (at once where none are open).
     */
    public static void allowed(SessionHistory history, String session, String tool, long atMillis, long keepUntilMillis) {
        PendingCharges p = THREAD.get();
        if (p.open && p.history == null) {
            p.history = history;
            p.historySession = session;
            p.historyTool = tool;
            p.historyAtMillis = atMillis;
            p.historyKeepUntilMillis = keepUntilMillis;
        } else if (p.open) {
            p.add(new Object[] {history, session, tool, atMillis, keepUntilMillis});
        } else {
            history.recordAllowed(session, tool, atMillis, keepUntilMillis);
        }
    }

    /** The decision record is written: the charges stand, and the history is written. Closes. */
    public void commit() {
        if (history != null) {
            history.recordAllowed(historySession, historyTool, historyAtMillis, historyKeepUntilMillis);
        }
        for (int i = 0; i < size; i++) {
            Object[] e = entries[i];
            if (e[0] instanceof SessionHistory h) {
                h.recordAllowed((String) e[1], (String) e[2], (Long) e[3], (Long) e[4]);
            } else if (e[0] instanceof SharedState s && e[1] instanceof SessionHistory local) {
                recordShared(s, local, (String) e[2], (String) e[3], (Long) e[4], (Long) e[5]);
            }
        }
        close();
    }

    /** The decision record could not be written: tokens and budget go back, nothing enters the history. Closes. */
    public void release() {
        for (int i = 0; i < size; i++) {
            Object[] e = entries[i];
            if (e[0] instanceof RateLimiter r) {
                r.release((String) e[1], (Long) e[2], (Duration) e[3]);
            } else if (e[0] instanceof BudgetLedger b) {
                b.refund((String) e[1], (Double) e[2], (Duration) e[3], (Long) e[4]);
            } else if (e[0] instanceof SharedState s && e[1] instanceof SharedCheck.Charged c) {
                s.release(c);
            }
        }
        close();
    }

    /** Stops holding charges on this thread without acting on them (after commit or release, or when neither applies). */
    public void close() {
        for (int i = 0; i < size; i++) {
            entries[i] = null;
        }
        size = 0;
        history = null;
        historySession = null;
        historyTool = null;
        open = false;
    }

    private void add(Object[] entry) {
        if (size == entries.length) {
            entries = java.util.Arrays.copyOf(entries, entries.length * 2);
        }
        entries[size++] = entry;
    }
}
