package dev.toolguard.policy.audit;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What is hidden or shortened when a JSON-like value leaves the process (audit records, webhook payloads,
 * admin responses).
 *
 * @param keys          map keys whose values become {@code "[REDACTED]"}, compared case-insensitively, at any depth
 * @param maxValueChars longer strings are cut to this many chars and marked {@code [TRUNCATED +N chars]}
 * @param maxDepth      containers nested deeper than this are written as {@code "[TOO DEEP]"}
 * @param maxEntries    lists and maps keep this many entries; the rest is counted in a marker
 */
public record Redaction(Set<String> keys, int maxValueChars, int maxDepth, int maxEntries) {

    /** The key list of SPEC §2's example config, which is also the default. */
    public static final List<String> DEFAULT_KEYS =
            List.of("password", "token", "secret", "api_key", "apikey", "authorization", "credential");

    public static final Redaction DEFAULT = of(DEFAULT_KEYS, 2048);

    /** Nothing redacted, nothing cut: for canonical forms that must keep every byte. */
    public static final Redaction NONE = new Redaction(Set.of(), Integer.MAX_VALUE, 64, Integer.MAX_VALUE);

    public Redaction {
        if (maxValueChars < 1 || maxDepth < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("redaction limits must be positive");
        }
        // A case-insensitive set answers contains() without lower-casing (allocating) every key written.
        TreeSet<String> ci = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        ci.addAll(keys);
        keys = java.util.Collections.unmodifiableSet(ci);
    }

    public static Redaction of(Collection<String> keys, int maxValueChars) {
        return new Redaction(new TreeSet<>(keys), maxValueChars, 32, 1000);
    }

    public boolean redacts(String key) {
        return keys.contains(key);
    }
}
