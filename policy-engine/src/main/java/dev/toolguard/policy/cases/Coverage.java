package dev.toolguard.policy.cases;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.ForbidEntry;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.load.Rule;
import dev.toolguard.policy.load.SequenceRule;
import dev.toolguard.policy.load.ToolPolicy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which parts of a bundle a cases file exercises ({@code test --coverage}, SPEC §17): every tool, rule, forbid entry,
 * lock and sequence, in bundle order. A tool is exercised when a case calls it (a glob entry: a tool it matches); a
 * rule when it decides a case (its condition held, or errored on a rule that then applies); a forbid entry, lock or
 * sequence when it denies a case, shadow-mode denials included. A guard that no case shows firing is not tested,
 * however often it was looked at.
 *
 * @param items every item: tools in name order, each with its locks and rules, then forbid entries and sequences in
 *              bundle order
 */
public record Coverage(List<Item> items) {

    /** One part of the bundle. {@code kind} is {@code tool}, {@code rule}, {@code forbid}, {@code lock} or {@code sequence}. */
    public record Item(String kind, String id, boolean exercised) {
    }

    public Coverage {
        items = List.copyOf(items);
    }

    /** The coverage of {@code bundle} by the cases that gave {@code results} (decided with their traces). */
    public static Coverage of(PolicyBundle bundle, List<CaseResult> results) {
        Set<String> reached = new HashSet<>();
        Set<String> decided = new HashSet<>();
        for (CaseResult r : results) {
            Decision d = r.decision();
            if (d == null || d.trace() == null) {
                continue;
            }
            for (TraceStep step : d.trace()) {
                if (step.step().equals("known_tool") && "pass".equals(step.outcome())) {
                    reached.add(step.rule());
                } else if (isDecision(step.outcome())) {
                    decided.add(step.rule());
                }
            }
        }
        CompiledBundle b = (CompiledBundle) bundle;
        List<Item> items = new ArrayList<>();
        List<ToolPolicy> tools = new ArrayList<>(b.tools());
        tools.sort(Comparator.comparing(ToolPolicy::name)); // the bundle keeps exact names in a hash map: no order of its own
        for (ToolPolicy tool : tools) {
            items.add(new Item("tool", tool.name(), reached.contains("tools." + tool.name())));
            for (ToolPolicy.Lock lock : tool.locks()) {
                String id = tool.ruleId("lock." + lock.argument());
                items.add(new Item("lock", id, decided.contains(id)));
            }
            for (Rule rule : tool.rules()) {
                items.add(new Item("rule", rule.ruleId(), decided.contains(rule.ruleId())));
            }
        }
        for (ForbidEntry f : b.forbids()) {
            items.add(new Item("forbid", f.ruleId(), decided.contains(f.ruleId())));
        }
        for (SequenceRule s : b.sequences()) {
            items.add(new Item("sequence", s.ruleId(), decided.contains(s.ruleId())));
        }
        return new Coverage(items);
    }

    private static boolean isDecision(String outcome) {
        return "allow".equals(outcome) || "deny".equals(outcome) || "require_approval".equals(outcome);
    }

    public long exercised() {
        return items.stream().filter(Item::exercised).count();
    }

    public List<Item> unexercised() {
        return items.stream().filter(i -> !i.exercised()).toList();
    }

    /** The share of items exercised, 0 to 100; 100 for a bundle with nothing to exercise. */
    public double percent() {
        return items.isEmpty() ? 100.0 : 100.0 * exercised() / items.size();
    }

    /** {@code coverage: 14 of 17 items exercised (82.4%)}. */
    public String summaryLine() {
        return "coverage: " + exercised() + " of " + items.size() + " items exercised ("
                + String.format(Locale.ROOT, "%.1f", percent()) + "%)";
    }
}
