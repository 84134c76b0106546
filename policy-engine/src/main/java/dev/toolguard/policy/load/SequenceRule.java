package dev.toolguard.policy.load;

import java.time.Duration;
import java.util.List;

/**
 * One {@code sequences} entry: deny a tool matching {@code deny} when a tool matching {@code after} was
 * allowed earlier in the same session, within {@code within}.
 *
 * @param name     its name (rule id {@code sequences.<name>})
 * @param after    globs of the tools that arm it
 * @param deny     globs of the tools it denies
 * @param within   how far back to look; null means the whole session
 * @param reason   the text given to the caller, or null
 * @param enforced false when its file is in shadow mode
 */
public record SequenceRule(String name, List<ToolPattern> after, List<ToolPattern> deny, Duration within,
                           String reason, boolean enforced) {

    public String ruleId() {
        return "sequences." + name;
    }

    public boolean denies(String tool) {
        for (ToolPattern p : deny) {
            if (p.matches(tool)) {
                return true;
            }
        }
        return false;
    }

    public boolean armedBy(String tool) {
        for (ToolPattern p : after) {
            if (p.matches(tool)) {
                return true;
            }
        }
        return false;
    }
}
