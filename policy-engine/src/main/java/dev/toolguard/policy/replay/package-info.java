/**
 * Replay (SPEC §17): the decision records of audit logs re-decided, in order, under a candidate bundle, each at its
 * recorded time on state that starts empty; what changed, and what cannot be told because the log hid a value the
 * decision read. Reads logs and drives the engine; never writes an audit log.
 */
package dev.toolguard.policy.replay;
