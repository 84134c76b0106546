package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Budgets in memory, lock-free: each account holds its current window (start, spent) swapped by
 * compare-and-set. No lock is taken, per account or for the whole store.
 *
 * <p>Memory: past {@link #MAX_ACCOUNTS} accounts, windows that have ended are dropped. A window still open
 * is never dropped (forgetting it would refund what was spent); when that many are all open the store grows,
 * and sweeps again only once it has grown by a quarter.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {

    static final int MAX_ACCOUNTS = 100_000;

    private record Window(long startMillis, long lengthMillis, double spent) {
    }

    /** An account nothing was charged to yet. Compared by identity. */
    private static final Window EMPTY = new Window(0, 0, 0);
    /** An account the sweep took out of the map: whoever still holds it looks the account up again. */
    private static final Window DROPPED = new Window(0, 0, 0);

    private final TimeSource time;
    private final int maxAccounts;
    private final ConcurrentHashMap<String, AtomicReference<Window>> accounts = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong sweeps = new AtomicLong();
    private volatile int sweepAt;

    public InMemoryBudgetLedger(TimeSource time) {
        this(time, MAX_ACCOUNTS);
    }

    InMemoryBudgetLedger(TimeSource time, int maxAccounts) {
        this.time = time;
        this.maxAccounts = maxAccounts;
        this.sweepAt = maxAccounts;
    }

    @Override
    public boolean tryCharge(String account, double cost, double limit, Duration per) {
        long length = Math.max(1, per.toMillis());
        while (true) {
            AtomicReference<Window> ref = lookUp(account);
            long now = time.epochMillis();
            long start = Math.floorDiv(now, length) * length;
            while (true) {
                Window current = ref.get();
                if (current == DROPPED) {
                    break;
                }
                // a late caller whose clock reading is older than the window charges the current window
                boolean sameWindow = current != EMPTY && current.startMillis() >= start
                        && current.lengthMillis() == length;
                double spent = sameWindow ? current.spent() : 0;
                if (spent + cost > limit) {
                    return false;
                }
                Window next = new Window(sameWindow ? current.startMillis() : start, length, spent + cost);
                if (ref.compareAndSet(current, next)) {
                    return true;
                }
            }
            // the sweep dropped this account between our look-up and our charge: charge the one in the map
            accounts.remove(account, ref);
        }
    }

    @Override
    public void refund(String account, double cost, Duration per, long chargedAtMillis) {
        long length = Math.max(1, per.toMillis());
        long start = Math.floorDiv(chargedAtMillis, length) * length;
        AtomicReference<Window> ref = accounts.get(account);
        if (ref == null) {
            return;
        }
        while (true) {
            Window current = ref.get();
            if (current == EMPTY || current == DROPPED || current.startMillis() != start || current.lengthMillis() != length) {
                return;
            }
            if (ref.compareAndSet(current, new Window(start, length, Math.max(0, current.spent() - cost)))) {
                return;
            }
        }
    }

    /** How many sweeps have run; for tests. */
    long sweeps() {
        return sweeps.get();
    }

    private AtomicReference<Window> lookUp(String account) {
        AtomicReference<Window> ref = accounts.get(account);
        if (ref != null) {
            return ref;
        }
        if (accounts.size() >= sweepAt) {
            sweep();
        }
        return accounts.computeIfAbsent(account, k -> new AtomicReference<>(EMPTY));
    }

    /**
     * Drops accounts whose window has ended. One caller sweeps at a time (the others go on without waiting),
     * and an account is dropped only by a compare-and-set from the value found ended, so a charge made at that
     * moment is never lost.
     */
    private void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            sweeps.incrementAndGet();
            long now = time.epochMillis();
            accounts.forEach((key, ref) -> {
                Window w = ref.get();
                boolean ended = w == EMPTY || (w != DROPPED && w.startMillis() + w.lengthMillis() <= now);
                if (ended && ref.compareAndSet(w, DROPPED)) {
                    accounts.remove(key, ref);
                }
            });
            int size = accounts.size();
            sweepAt = Math.max(maxAccounts, size + Math.max(1, size / 4));
        } finally {
            sweeping.set(false);
        }
    }
}
