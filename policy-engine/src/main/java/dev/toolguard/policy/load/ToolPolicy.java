package dev.toolguard.policy.load;

import dev.toolguard.policy.egress.ToolEgress;

import dev.toolguard.policy.expr.Expression;

import java.util.List;

/**
 * Everything a bundle says about one tool entry, compiled.
 *
 * @param name      the tool name or glob as written under {@code tools:} (rule ids use it)
 * @param pattern   that name as a pattern
 * @param source    the file that defines it
 * @param arguments the compiled {@code arguments} schema, or null
 * @param locks     argument -> expression it must equal, in the order written
 * @param rules     the rules in order (the {@code action:} shorthand is one rule); empty denies every call
 * @param rateLimit the single {@code rate_limit} map, or null
 * @param rateLimits the entries of a {@code rate_limit} written as a list (each with its own {@code when}, {@code key}
 *                   and rule id {@code rate_limit[i]}); empty otherwise, so that a plain limit costs nothing more
 * @param budget    or null
 * @param enforced  false when its file is in shadow mode
 * @param egress    its {@code egress} entry (SPEC §18), or null: then {@code egress.default_in_tools} applies
 */
public record ToolPolicy(String name, ToolPattern pattern, String source, ArgumentSchema arguments, List<Lock> locks,
                         List<Rule> rules, RateLimit rateLimit, List<RateLimit> rateLimits, Budget budget,
                         boolean enforced, ToolEgress egress) {

    public ToolPolicy(String name, ToolPattern pattern, String source, ArgumentSchema arguments, List<Lock> locks,
                      List<Rule> rules, RateLimit rateLimit, Budget budget, boolean enforced) {
        this(name, pattern, source, arguments, locks, rules, rateLimit, List.of(), budget, enforced, null);
    }

    /** One {@code lock} entry: the argument must equal the value of the expression. */
    public record Lock(String argument, Expression value) {
    }

    public String ruleId(String part) {
        return "tools." + name + "." + part;
    }
}
