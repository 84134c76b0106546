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

    /** Every instrumented tool method, in the order instrumented. */
    public synchronized List<ToolMethod> all() {
        return List.of(Arrays.copyOf(byId, size));
    }
}
