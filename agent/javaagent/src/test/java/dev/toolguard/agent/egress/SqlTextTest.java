package dev.toolguard.agent.egress;

import dev.toolguard.policy.egress.EgressRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §18: SQL is read by a real parser: every statement of a text, its kind and tables; what cannot be read says so. */
class SqlTextTest {

    private final SqlText sql = new SqlText();

    private EgressRequest read(String text) {
        return sql.read(text, () -> "public");
    }

    @Test
    void a_select_names_its_kind_and_qualified_tables() {
        EgressRequest r = read("SELECT a.tier FROM crm.accounts a JOIN crm.owners o ON a.owner = o.id");
        assertThat(r.problem()).isNull();
        assertThat(r.actions()).containsExactly("select");
        assertThat(r.targets()).containsExactlyInAnyOrder("crm.accounts", "crm.owners");
    }

    @Test
    void every_statement_of_a_multi_statement_text_counts() {
        EgressRequest r = read("SELECT 1 FROM crm.accounts; DROP TABLE crm.accounts");
        assertThat(r.actions()).containsExactly("select", "drop");
        assertThat(r.targets()).containsExactly("crm.accounts");
    }

    @Test
    void a_subquery_on_another_schema_is_seen() {
        EgressRequest r = read("SELECT * FROM crm.accounts WHERE id IN (SELECT name FROM hr.salaries)");
        assertThat(r.targets()).contains("hr.salaries");
    }

    @Test
    void quoted_and_upper_case_names_are_normalised_and_unqualified_ones_take_the_connections_schema() {
        EgressRequest r = read("UPDATE \"CRM\".\"Accounts\" SET tier = 'x'; DELETE FROM notes");
        assertThat(r.actions()).containsExactly("update", "delete");
        assertThat(r.targets()).containsExactly("crm.accounts", "public.notes");
    }

    @Test
    void text_that_does_not_parse_or_is_too_long_is_unreadable() {
        assertThat(read("SELEKT everything FROM crm.accounts").problem()).isNotNull();
        assertThat(read("SELECT 1 FROM t WHERE x = '" + "a".repeat(SqlText.MAX_CHARS) + "'").problem())
                .contains("longer than");
        assertThat(sql.read(null, () -> null).problem()).isNotNull();
    }

    @Test
    void a_text_is_parsed_once() {
        SqlText.Parsed first = sql.parsed("SELECT tier FROM crm.accounts WHERE id = ?");
        assertThat(sql.parsed("SELECT tier FROM crm.accounts WHERE id = ?")).isSameAs(first);
    }

    @Test
    void statement_kinds_are_the_policys_words() {
        assertThat(List.of("INSERT INTO crm.a VALUES (1)", "CREATE TABLE crm.b (x INT)", "TRUNCATE TABLE crm.c",
                "ALTER TABLE crm.d ADD COLUMN y INT")).extracting(t -> read(t).actions().get(0))
                .containsExactly("insert", "create", "truncate", "alter");
    }
}
