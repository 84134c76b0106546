package dev.toolguard.policy.state;

import java.util.List;

/**
 * The fleet view's records (SPEC §16): every replica of a service puts the redacted records of its own audit log
 * here, and the console of any replica reads every replica's back. Written and read off the decision path only: a
 * stream that does not answer never holds up or changes a decision, it only leaves the fleet view behind.
 *
 * <p>Records are published only while some console of the fleet is being viewed: a tool with no stateful feature
 * makes no Redis command (SPEC §14), and a fleet nobody looks at makes none either. A viewed console says so with
 * {@link #want}; every replica's feed hears it through {@link #onWanted}.
 */
public interface DecisionStream {

    /** This replica's name, to put with each record it publishes. */
    String replica();

    /** What the stream is, for people: where it lives. */
    String where();

    /** Appends records of the replica {@code replica} (redacted audit lines), in order. */
    void publish(String replica, List<String> records) throws StateUnavailableException;

    /**
     * Up to {@code max} entries after the entry {@code afterId}, oldest first; with {@code afterId} null, from
     * {@code sinceEpochMillis} on (entries are numbered by the time they were added).
     */
    List<Entry> read(String afterId, long sinceEpochMillis, int max) throws StateUnavailableException;

    /**
     * Asks the feed of every replica of the fleet to publish its records for a while (a console is being viewed):
     * one message on the fleet's channel.
     */
    void want() throws StateUnavailableException;

    /**
     * Calls {@code wanted} each time a console of the fleet {@link #want wants} records, from now on, on a thread and
     * a connection of its own (subscribed again when lost). Returns once listening, or after a short wait when the
     * stream does not answer yet.
     */
    void onWanted(Runnable wanted);

    /** One record as published: the stream's id for it, the replica that published it, the record. */
    record Entry(String id, String replica, String record) {
    }
}
