package dev.toolguard.policy.decide;

/**
 * One line of a decision's explanation: which step ran, what it concluded, and why.
 *
 * @param step    the step name: forbid, known_tool, roles, arguments, locks, sequences, rules, limits
 * @param rule    the rule id the step looked at (SPEC §5 table), or null
 * @param outcome pass | deny | allow | require_approval | skip | error | match | no_match
 * @param detail  a sentence a person can read (expression errors land here)
 */
public record TraceStep(String step, String rule, String outcome, String detail) {
}
