package dev.toolguard.agent.advice;

import dev.toolguard.instrumentation.ToolMethod;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tools instrumented so far, by the small integer id their advice carries. Written when a class is
 * transformed (rare, under a lock), read on every call (a volatile array read, no lock).
 */
public final class ToolRegistry {

    private volatile ToolMethod[] byId = new ToolMethod[64];
    private int size;
    /**
     * The methods registered as refused ({@link #registerRefused}), by {@code -1 - id}: their ids are negative, so that
     * a call of one takes the path of an unknown id, and a tool's call pays nothing for them.
     */
    private final List<Refused> refused = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A method refused whenever it is called, and why. */
    public record Refused(ToolMethod method, String why) {
    }
    private final ConcurrentHashMap<String, ToolMethod> named = new ConcurrentHashMap<>();

    /** Registers a tool method and returns its id. */
    public synchronized int register(ToolMethod tool) {
        ToolMethod[] current = byId;
        if (size == current.length) {
            current = Arrays.copyOf(current, size * 2);
        }
        current[size] = tool;
        byId = current;
        return size++;
    }

    /**
     * Registers a method that is refused whenever it is called, without a decision (a method of a class whose
     * {@code rules.yaml} entry meant a tool the class does not have, so that no method of it runs on a guess), and
     * returns its id, which is negative: {@link #get} knows no tool by it.
     */
    public synchronized int registerRefused(ToolMethod method, String why) {
        refused.add(new Refused(method, why));
        return -refused.size();
    }

    /** The refused method of this id, or null for any other id. */
    public Refused refused(int id) {
        int index = -1 - id;
        return index >= 0 && index < refused.size() ? refused.get(index) : null;
    }

    /** The tool with this id, or null for an id this registry never gave out. */
    public ToolMethod get(int id) {
        ToolMethod[] current = byId;
        return id >= 0 && id < current.length ? current[id] : null;
    }

    /**
     * The tool for a call served by a framework hook, by rule set, tool name and site; made once per
     * distinct triple (tool names come from the model, so the map is bounded by what the hook serves).
     */
    public ToolMethod named(String ruleSet, String tool, String site) {
        String key = ruleSet + '\u0000' + tool + '\u0000' + site;
        ToolMethod m = named.get(key);
        if (m == null) {
            m = named.computeIfAbsent(key, k -> new ToolMethod(tool, site, tool, site, List.of(), ruleSet));
        }
        return m;
    }

    /** How many tool methods were instrumented. */
    public synchronized int size() {
        return size;
    }

    /** The tools served by a framework hook by name (an MCP tool), as they were first called. */
    public List<ToolMethod> allNamed() {
        return List.copyOf(named.values());
    }

    /** Every instrumented tool method, in the order instrumented (not the refused methods, which are no tools). */
    public synchronized List<ToolMethod> all() {
        return List.of(Arrays.copyOf(byId, size));
    }
}
