package dev.toolguard.agent.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** No decisions can be read (the audit log goes to standard error): the pages say why. */
record NoDecisions(String unavailable) implements DecisionSource {

    @Override
    public List<Decision> recent(int max, Predicate<Decision> filter) {
        return List.of();
    }

    @Override
    public List<Decision> after(long seq, Predicate<Decision> filter) {
        return List.of();
    }

    @Override
    public Optional<Decision> find(String callId) {
        return Optional.empty();
    }

    @Override
    public long latest() {
        return 0;
    }

    @Override
    public long awaitAfter(long seq, long millis) throws InterruptedException {
        Thread.sleep(millis);
        return 0;
    }

    @Override
    public Hour lastHour(Instant now) {
        return new Hour(new long[0], Map.of(), new Double[0], new Double[0], Map.of(), Map.of());
    }

    @Override
    public List<ApprovalEvent> decidedApprovals(int max) {
        return List.of();
    }
}
