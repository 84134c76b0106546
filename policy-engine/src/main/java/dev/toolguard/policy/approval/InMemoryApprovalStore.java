package dev.toolguard.policy.approval;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** The approvals of one process, in two concurrent maps (by id, and by ticket key). */
public final class InMemoryApprovalStore implements ApprovalStore {

    private final ConcurrentHashMap<String, Approval> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByTicket = new ConcurrentHashMap<>();

    @Override
    public void add(Approval approval) {
        byId.put(approval.id(), approval);
    }

    @Override
    public Approval addTicket(Approval candidate, Predicate<Approval> replaceable) {
        Approval[] held = new Approval[1];
        idByTicket.compute(candidate.ticketKey(), (key, currentId) -> {
            Approval current = currentId == null ? null : byId.get(currentId);
            if (current != null && !replaceable.test(current)) {
                held[0] = current;
                return currentId;
            }
            byId.put(candidate.id(), candidate);
            held[0] = candidate;
            return candidate.id();
        });
        return held[0];
    }

    @Override
    public Optional<Approval> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Optional<Approval> forTicket(String ticketKey) {
        String id = idByTicket.get(ticketKey);
        return id == null ? Optional.empty() : get(id);
    }

    @Override
    public boolean replace(Approval expected, Approval updated) {
        return byId.replace(expected.id(), expected, updated);
    }

    @Override
    public List<Approval> pending() {
        return byId.values().stream()
                .filter(Approval::pending)
                .sorted(Comparator.comparing(Approval::requestedAt).thenComparing(Approval::id))
                .toList();
    }

    @Override
    public int pendingCount() {
        int n = 0;
        for (Approval a : byId.values()) {
            if (a.pending()) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void forgetDecidedBefore(Instant cutoff) {
        byId.values().removeIf(a -> !a.pending() && a.decidedAt() != null && a.decidedAt().isBefore(cutoff)
                && !(a.ticketKey() != null && a.status() == Approval.Status.APPROVED
                     && !a.decidedAt().plus(a.spec().timeout()).isBefore(cutoff)));
        idByTicket.values().removeIf(id -> !byId.containsKey(id));
    }
}
