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
    /** By id, why a method registered as refused may not run (see {@link #registerRefused}); null for a tool. */
    private volatile String[] refusals = new String[64];
    private int size;
    private final ConcurrentHashMap<String, ToolMethod> named = new ConcurrentHashMap<>();

    /** Registers a tool method and returns its id. */
    public synchronized int register(ToolMethod tool) {
        return register(tool, null);
    }

    /**
     * Registers a method that is refused whenever it is called, without a decision: a method of a class whose
     * {@code rules.yaml} entry meant a tool the class does not have, so that no method of it runs on a guess.
     */
    public synchronized int registerRefused(ToolMethod method, String why) {
        return register(method, why);
    }

    private int register(ToolMethod tool, String refusal) {
        ToolMethod[] current = byId;
        String[] why = refusals;
        if (size == current.length) {
            current = Arrays.copyOf(current, size * 2);
            why = Arrays.copyOf(why, size * 2);
        }
        current[size] = tool;
        why[size] = refusal;
        // the refusal is published before the tool: whoever sees the tool sees why it is refused
        refusals = why;
        byId = current;
        return size++;
    }

    /** Why the method of this id is refused, or null for a tool that is decided (and for an unknown id). */
    public String refusal(int id) {
        String[] why = refusals;
        return id >= 0 && id < why.length ? why[id] : null;
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

    /** Every instrumented tool method, in the order instrumented; not the refused methods, which are no tools. */
    public synchronized List<ToolMethod> all() {
        List<ToolMethod> tools = new java.util.ArrayList<>(size);
        for (int id = 0; id < size; id++) {
            if (refusals[id] == null) {
                tools.add(byId[id]);
            }
        }
        return List.copyOf(tools);
    }
}
