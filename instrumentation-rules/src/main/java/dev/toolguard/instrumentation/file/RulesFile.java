package dev.toolguard.instrumentation.file;

import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import dev.toolguard.instrumentation.rule.ToolRule;
import dev.toolguard.policy.load.Nearest;
import dev.toolguard.policy.values.KeyLines;
import dev.toolguard.policy.values.LocatedList;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedReader;
import dev.toolguard.policy.values.Problems;
import dev.toolguard.policy.values.SourcePosition;
import dev.toolguard.policy.values.SourceProblem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code rules.yaml} (SPEC §7): methods made tools without touching their code. Every problem comes
 * back with file, line and column; a file with problems contributes no rule at all, only the entries it can still be
 * read to name ({@link Result#salvaged()}), which the agent guards, and denies, until the file is fixed.
 *
 * <pre>
 * tools:
 *   - class: com.acme.billing.RefundService   # or implements: / annotation:
 *     method: issueRefund
 *     name: issue_refund
 *     parameters: [customer_id, amount, reason]
 * </pre>
 */
public final class RulesFile {

    /**
     * The rules of a file, or every problem found in it.
     *
     * @param salvaged for a file with problems, the entries it can still be read to name ({@link RulesFileSalvage}):
     *                 to be guarded and denied, never allowed, so that a mistake in the file leaves no tool it meant
     *                 undecided; empty for a file without problems
     */
    public record Result(List<ToolRule> rules, List<SourceProblem> problems, List<ToolRule> salvaged) {
        public boolean ok() {
            return problems.isEmpty();
        }

        /** What the agent guards for this file: its rules, or for a file with problems what it salvages. */
        public List<ToolRule> guarded() {
            return ok() ? rules : salvaged;
        }
    }

    private RulesFile() {
    }

    public static Result read(Path file) {
        if (!Files.exists(file)) {
            return nearestOfMissing(file);
        }
        LocatedReader.ReadResult read = LocatedReader.readFile(file);
        Result parsed = read.ok() ? parse(read.root()) : new Result(List.of(), read.problems(), List.of());
        return parsed.ok() ? parsed : withSalvage(parsed, file.toString(), KeyLines.of(file));
    }

    /**
     * A rules file that is not there: most often its name was mistyped in the config ({@code rule.yaml}). Its
     * problem names the nearest files beside it, and their entries are what it salvages: the tools meant are
     * guarded, and denied, rather than run undecided while the config is broken.
     */
    private static Result nearestOfMissing(Path file) {
        LocatedReader.ReadResult missing = LocatedReader.readFile(file);
        List<Path> nearest = Nearest.filesBeside(file, List.of(".yaml", ".yml", ".json"));
        if (nearest.isEmpty()) {
            return new Result(List.of(), missing.problems(), List.of());
        }
        List<SourceProblem> problems = new ArrayList<>(missing.problems());
        problems.add(new SourceProblem(SourcePosition.startOf(file.toString()), "did you mean "
                + String.join(", ", nearest.stream().map(p -> p.getFileName().toString()).toList())
                + "? their entries are guarded, and denied, while the config names a file that is not there"));
        List<ToolRule> salvaged = new ArrayList<>();
        for (Path near : nearest) {
            Result read = read(near);
            salvaged.addAll(read.guarded());
        }
        return new Result(List.of(), problems, List.copyOf(salvaged));
    }

    public static Result read(String sourceName, String text) {
        LocatedReader.ReadResult read = LocatedReader.read(sourceName, text);
        Result parsed = read.ok() ? parse(read.root()) : new Result(List.of(), read.problems(), List.of());
        return parsed.ok() ? parsed : withSalvage(parsed, sourceName, KeyLines.of(text));
    }

    private static Result withSalvage(Result parsed, String sourceName, List<KeyLines.Line> lines) {
        return new Result(List.of(), parsed.problems(), RulesFileSalvage.of(sourceName, lines));
    }

    private static Result parse(LocatedNode root) {
        Problems problems = new Problems();
        List<ToolRule> rules = new ArrayList<>();
        LocatedMap top = root.asMap("the rules file", problems);
        if (top != null) {
            top.allowOnly(problems, "tools");
            LocatedList tools = top.list("tools", problems);
            if (tools == null && top.get("tools") == null) {
                problems.add(top.position(), "missing required key 'tools'");
            }
            if (tools != null) {
                for (LocatedNode item : tools.items()) {
                    LocatedMap entry = item.asMap("a tools item", problems);
                    if (entry != null) {
                        ToolRule rule = entry(entry, problems);
                        if (rule != null) {
                            rules.add(rule);
                        }
                    }
                }
            }
        }
        return problems.isEmpty() ? new Result(List.copyOf(rules), List.of(), List.of())
                : new Result(List.of(), problems.list(), List.of());
    }

    private static ToolRule entry(LocatedMap e, Problems problems) {
        int before = problems.size();
        e.allowOnly(problems, "class", "implements", "annotation", "method", "name", "name_from", "parameters");
        String cls = e.string("class", problems);
        String impl = e.string("implements", problems);
        String annotation = e.string("annotation", problems);
        int kinds = (cls != null ? 1 : 0) + (impl != null ? 1 : 0) + (annotation != null ? 1 : 0);
        if (kinds != 1) {
            problems.add(e.position(), kinds == 0
                    ? "a tools item needs one of class, implements or annotation"
                    : "a tools item takes only one of class, implements or annotation");
        }
        String method = e.string("method", problems);
        if (method == null && annotation == null && e.get("method") == null) {
            problems.add(e.position(), "missing required key 'method' (a method name or glob)");
        }
        String name = e.string("name", problems);
        String nameFrom = e.string("name_from", problems);
        if (nameFrom != null && annotation == null) {
            problems.add(e.keyPosition("name_from"), "name_from is for annotation items only");
        }
        List<String> parameters = e.get("parameters") == null ? List.of() : e.strings("parameters", problems);
        for (String s : new String[] {cls, impl, annotation, method, name}) {
            if (s != null && s.isBlank()) {
                problems.add(e.position(), "names and globs must not be empty");
            }
        }
        if (problems.size() > before || parameters == null) {
            return null;
        }
        if (cls != null) {
            return new ClassToolRule(cls, method, name, parameters, e.position().toString());
        }
        if (impl != null) {
            return new SubtypeToolRule(impl, method, name, parameters, e.position().toString());
        }
        return new AnnotatedToolRule("rules", annotation, nameFrom, name, method, parameters);
    }
}
