package dev.toolguard.policy.replay;

import dev.toolguard.policy.state.TimeSource;

import java.time.Instant;

/**
 * The clock of a replay: the recorded time of the call being re-decided, so that rate limits refill, budget windows
 * turn and sequence windows pass as they did when the calls were made. Never goes back: records of processes that
 * wrote one log may be a little out of order, and a token bucket must not see time run backwards.
 */
final class ReplayClock implements TimeSource {

    private long epochMicros = Long.MIN_VALUE;

    /** Moves the clock to {@code recorded}, or leaves it where it is when {@code recorded} is earlier. */
    void moveTo(Instant recorded) {
        long micros = Math.addExact(Math.multiplyExact(recorded.getEpochSecond(), 1_000_000L), recorded.getNano() / 1000);
        epochMicros = Math.max(epochMicros, micros);
    }

    @Override
    public long monotonicNanos() {
        return epochMicros * 1000;
    }

    @Override
    public long epochMillis() {
        return Math.floorDiv(epochMicros, 1000);
    }
}
