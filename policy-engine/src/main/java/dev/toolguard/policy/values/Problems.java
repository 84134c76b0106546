package dev.toolguard.policy.values;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects every problem found while reading and checking sources, so a user sees all of them at once
 * instead of fixing one per run. Not thread-safe: one instance per load.
 */
public final class Problems {

    private final List<SourceProblem> problems = new ArrayList<>();

    public void add(SourcePosition at, String message) {
        problems.add(new SourceProblem(at, message));
    }

    public void addAll(List<SourceProblem> more) {
        problems.addAll(more);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** The problems in the order they were found. */
    public List<SourceProblem> list() {
        return Collections.unmodifiableList(problems);
    }
}
