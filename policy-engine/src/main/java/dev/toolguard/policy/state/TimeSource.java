package dev.toolguard.policy.state;

/**
 * The two clocks deciding needs, behind one interface so tests control time: a monotonic one for rate
 * limits (never jumps) and the wall clock for budget windows and sequence look-backs (aligned to UTC).
 */
public interface TimeSource {

    /** Nanoseconds from an arbitrary origin; only differences mean anything. */
    long monotonicNanos();

    /** Milliseconds since the Unix epoch, UTC. */
    long epochMillis();

    /** The JVM's clocks: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
    static TimeSource system() {
        return SystemTime.INSTANCE;
    }

    /** The JVM's clocks. */
    enum SystemTime implements TimeSource {
        INSTANCE;

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    }
}
