/**
 * The values toolkit: everything that reads, compares or writes the JSON-like values a policy sees, once.
 * {@link dev.toolguard.policy.values.PlainValues} converts Java objects within one set of
 * {@link dev.toolguard.policy.values.ValueBounds}; {@link dev.toolguard.policy.values.CanonicalJson} gives the one
 * canonical text (keys of limits, approval tickets); {@link dev.toolguard.policy.values.ValueEquality} is the one
 * equality (expressions and decisions); {@link dev.toolguard.policy.values.JsonWriter} with
 * {@link dev.toolguard.policy.values.Redaction} writes every JSON that leaves the engine (audit, admin API,
 * webhooks); {@link dev.toolguard.policy.values.LocatedReader} reads every file ToolGuard reads into a tree that
 * keeps {@code file:line:col}. Nothing here knows about policies, calls or the agent.
 */
package dev.toolguard.policy.values;
