package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Budgets in memory, lock-free: each account holds its current window (start, spent) swapped by
 * compare-and-set. Memory is bounded: past {@link #MAX_ACCOUNTS} accounts, windows that have ended are
 * dropped.
 */
public final class InMemoryBudgetLedger implements BudgetLedger {

    static final int MAX_ACCOUNTS = 100_000;

    private record Window(long startMillis, long lengthMillis, double spent) {
    }

    private final TimeSource time;
    private final ConcurrentHashMap<String, AtomicReference<Window>> accounts = new ConcurrentHashMap<>();

    public InMemoryBudgetLedger(TimeSource time) {
        this.time = time;
    }

    @Override
    public boolean tryCharge(String account, double cost, double limit, Duration per) {
        long now = time.epochMillis();
        long length = Math.max(1, per.toMillis());
        long start = Math.floorDiv(now, length) * length;
        AtomicReference<Window> ref = accounts.get(account);
        if (ref == null) {
            sweepIfFull(now);
            ref = accounts.computeIfAbsent(account, k -> new AtomicReference<>(new Window(start, length, 0)));
        }
        while (true) {
            Window current = ref.get();
            // a late caller whose clock reading is older than the window charges the current window
            boolean sameWindow = current.startMillis() >= start && current.lengthMillis() == length;
            double spent = sameWindow ? current.spent() : 0;
            if (spent + cost > limit) {
                return false;
            }
            Window next = new Window(sameWindow ? current.startMillis() : start, length, spent + cost);
            if (ref.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    private void sweepIfFull(long now) {
        if (accounts.size() < MAX_ACCOUNTS) {
            return;
        }
        accounts.entrySet().removeIf(e -> {
            Window w = e.getValue().get();
            return w.startMillis() + w.lengthMillis() <= now;
        });
    }
}
