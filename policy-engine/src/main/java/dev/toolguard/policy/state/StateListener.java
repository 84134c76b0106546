package dev.toolguard.policy.state;

/** Told each time the shared store stops or starts answering (SPEC §14: a {@code state} audit record and a metric). */
public interface StateListener {

    /**
     * @param answering true when the store answers again, false when it stopped
     * @param detail    what was seen (the error, or the store answering again)
     */
    void switched(boolean answering, String detail);

    StateListener NONE = (answering, detail) -> { };
}
