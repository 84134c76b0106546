package dev.toolguard.policy.egress;

/**
 * The bundle's top-level {@code egress}: what a tool with no {@code egress} entry may do, and what happens to egress
 * made outside any guarded call. Both default to {@code allow}, so a bundle without egress rules changes nothing.
 *
 * @param defaultInTools {@code allow} or {@code deny}
 * @param outsideTools   {@code allow}, {@code audit} (allowed, and an egress record written) or {@code deny}
 */
public record EgressDefaults(Outside defaultInTools, Outside outsideTools) {

    /** What an egress the defaults decide gets. */
    public enum Outside {
        ALLOW("allow"), AUDIT("audit"), DENY("deny");

        private final String wireName;

        Outside(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Outside of(String text) {
            for (Outside o : values()) {
                if (o.wireName.equals(text)) {
                    return o;
                }
            }
            return null;
        }
    }

    public static final EgressDefaults ALLOW = new EgressDefaults(Outside.ALLOW, Outside.ALLOW);

    /** Rule id of a decision by {@code default_in_tools} for a tool without an entry is still the tool's kind rule. */
    public static final String OUTSIDE_RULE = "egress.outside_tools";
}
