package dev.toolguard.policy.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolPatternTest {

    @Test
    void starMatchesAnyRunIncludingDots() {
        assertThat(ToolPattern.of("crm.*").matches("crm.read.contacts")).isTrue();
        assertThat(ToolPattern.of("*.delete*").matches("crm.contacts.delete_all")).isTrue();
        assertThat(ToolPattern.of("*").matches("")).isTrue();
    }

    @Test
    void starMatchesAnEmptyRun() {
        assertThat(ToolPattern.of("crm.read*").matches("crm.read")).isTrue();
    }

    @Test
    void nameWithoutStarMatchesOnlyItself() {
        ToolPattern exact = ToolPattern.of("drop_table");

        assertThat(exact.exact()).isTrue();
        assertThat(exact.matches("drop_table")).isTrue();
        assertThat(exact.matches("drop_table2")).isFalse();
        assertThat(exact.matches("xdrop_table")).isFalse();
    }

    @Test
    void globMustMatchTheWholeName() {
        assertThat(ToolPattern.of("crm.*").matches("xcrm.read")).isFalse();
        assertThat(ToolPattern.of("*.delete").matches("a.delete.b")).isFalse();
    }

    @Test
    void hostileGlobStaysLinearEnough() {
        String name = "a".repeat(100_000);

        assertThat(ToolPattern.of("*a*a*a*a*a*b").matches(name)).isFalse();
    }

    @Test
    void nullNameNeverMatches() {
        assertThat(ToolPattern.of("*").matches(null)).isFalse();
    }
}
