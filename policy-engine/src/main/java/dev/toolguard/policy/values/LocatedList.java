package dev.toolguard.policy.values;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A list read from a source, each item with its own position. */
public final class LocatedList implements LocatedNode {

    private final List<LocatedNode> items;
    private final SourcePosition position;

    public LocatedList(List<LocatedNode> items, SourcePosition position) {
        this.items = Collections.unmodifiableList(new ArrayList<>(items));
        this.position = position;
    }

    public List<LocatedNode> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public LocatedNode get(int index) {
        return items.get(index);
    }

    @Override
    public SourcePosition position() {
        return position;
    }

    @Override
    public String kind() {
        return "a list";
    }

    @Override
    public Object toPlain() {
        List<Object> plain = new ArrayList<>(items.size());
        for (LocatedNode item : items) {
            plain.add(item.toPlain());
        }
        return plain;
    }

    /**
     * The items as strings; a list of strings is the usual shape for tool globs and names. Reports every
     * item that is not a string and leaves it out.
     */
    public List<String> strings(String what, Problems problems) {
        List<String> out = new ArrayList<>(items.size());
        for (LocatedNode item : items) {
            String s = item.asString(what + " item", problems);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
