package dev.toolguard.policy.decide;

import dev.toolguard.policy.egress.EgressRequest;
import dev.toolguard.policy.egress.EgressVerdict;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.state.EngineState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §18: a tool's egress rules, the bundle's egress defaults, and sequences over egress events. */
class EgressDecisionTest {

    private static final String CRM = """
            default: allow
            tools:
              crm.read_account:
                action: allow
                egress:
                  sql: {statements: [select], tables: ["crm.*"]}
                  http: {hosts: ["crm.internal", "api.partner.example:8443"], methods: [GET]}
              email.send_external:
                action: allow
                egress:
                  mail: {recipients: ["*@partner.example"]}
                  http: deny
              ops.restart_service:
                action: allow
                egress:
                  exec: {commands: ["systemctl", "/usr/bin/systemctl"]}
              report.export:
                action: allow
              shadowed.tool:
                action: allow
            """;

    private static final Map<String, Object> SESSION = Map.of("session", Map.of("id", "s1"));

    private final PolicyEngine engine = new PolicyEngine(Policies.bundle(CRM), EngineState.inMemory());

    private EgressVerdict sql(String tool, List<String> kinds, List<String> tables) {
        return engine.decideEgress(tool, SESSION, EgressRequest.sql(kinds, tables));
    }

    @Test
    void a_select_on_an_allowed_table_is_allowed_by_the_tools_rule() {
        EgressVerdict v = sql("crm.read_account", List.of("select"), List.of("crm.accounts"));
        assertThat(v.allowed()).isTrue();
        assertThat(v.rule()).isEqualTo("tools.crm.read_account.egress.sql");
        assertThat(v.record()).as("an allowed egress is counted, not written").isFalse();
        assertThat(sql("crm.read_account", List.of("update"), List.of("crm.accounts")).record()).isTrue();
    }

    @Test
    void an_update_is_refused_naming_the_statement_kind() {
        EgressVerdict v = sql("crm.read_account", List.of("update"), List.of("crm.accounts"));
        assertThat(v.blocks()).isTrue();
        assertThat(v.rule()).isEqualTo("tools.crm.read_account.egress.sql");
        assertThat(v.reason()).contains("statement update is not among [select]");
    }

    @Test
    void a_select_on_another_schema_is_refused_naming_the_table() {
        EgressVerdict v = sql("crm.read_account", List.of("select"), List.of("hr.salaries"));
        assertThat(v.blocks()).isTrue();
        assertThat(v.reason()).contains("table hr.salaries");
    }

    @Test
    void a_smuggled_second_statement_is_refused() {
        EgressVerdict v = sql("crm.read_account", List.of("select", "drop"), List.of("crm.accounts"));
        assertThat(v.blocks()).isTrue();
        assertThat(v.reason()).contains("statement drop");
    }

    @Test
    void unreadable_sql_is_refused_where_sql_is_restricted() {
        EgressVerdict v = engine.decideEgress("crm.read_account", SESSION, EgressRequest.unreadableSql("no parse"));
        assertThat(v.blocks()).isTrue();
        assertThat(v.reason()).contains("cannot be read (no parse)");
    }

    @Test
    void a_kind_the_entry_does_not_list_is_refused() {
        EgressVerdict v = engine.decideEgress("crm.read_account", SESSION, EgressRequest.exec("sh"));
        assertThat(v.blocks()).isTrue();
        assertThat(v.rule()).isEqualTo("tools.crm.read_account.egress.exec");
        assertThat(v.reason()).contains("may not use exec").contains("sql, http");
    }

    @Test
    void http_checks_method_host_and_a_pinned_port() {
        assertThat(engine.decideEgress("crm.read_account", SESSION, EgressRequest.http("GET", "crm.internal", 80))
                .allowed()).isTrue();
        assertThat(engine.decideEgress("crm.read_account", SESSION, EgressRequest.http("POST", "crm.internal", 80))
                .reason()).contains("method POST");
        assertThat(engine.decideEgress("crm.read_account", SESSION, EgressRequest.http("GET", "evil.example", 443))
                .reason()).contains("host evil.example:443");
        assertThat(engine.decideEgress("crm.read_account", SESSION,
                EgressRequest.http("GET", "api.partner.example", 8443)).allowed()).isTrue();
        assertThat(engine.decideEgress("crm.read_account", SESSION,
                EgressRequest.http("GET", "api.partner.example", 443)).blocks()).isTrue();
    }

    @Test
    void a_kind_written_deny_is_refused() {
        EgressVerdict v = engine.decideEgress("email.send_external", SESSION, EgressRequest.http("GET", "x", 80));
        assertThat(v.blocks()).isTrue();
        assertThat(v.rule()).isEqualTo("tools.email.send_external.egress.http");
    }

    @Test
    void every_recipient_must_match() {
        assertThat(engine.decideEgress("email.send_external", SESSION,
                EgressRequest.mail(List.of("bob@partner.example"))).allowed()).isTrue();
        EgressVerdict v = engine.decideEgress("email.send_external", SESSION,
                EgressRequest.mail(List.of("bob@partner.example", "eve@evil.example")));
        assertThat(v.blocks()).isTrue();
        assertThat(v.reason()).contains("recipient eve@evil.example");
    }

    @Test
    void commands_match_the_program_as_started_never_its_base_name() {
        assertThat(engine.decideEgress("ops.restart_service", SESSION, EgressRequest.exec("systemctl")).allowed()).isTrue();
        assertThat(engine.decideEgress("ops.restart_service", SESSION, EgressRequest.exec("/usr/bin/systemctl"))
                .allowed()).isTrue();
        assertThat(engine.decideEgress("ops.restart_service", SESSION, EgressRequest.exec("/tmp/x/systemctl"))
                .blocks()).isTrue();
        assertThat(engine.decideEgress("ops.restart_service", SESSION, EgressRequest.exec("sh")).blocks()).isTrue();
    }

    @Test
    void without_egress_defaults_a_tool_without_an_entry_and_egress_outside_tools_are_allowed() {
        EgressVerdict in = engine.decideEgress("report.export", SESSION, EgressRequest.exec("sh"));
        assertThat(in.allowed()).isTrue();
        assertThat(in.rule()).isEqualTo("egress.default_in_tools");
        EgressVerdict outside = engine.decideEgress(null, null, EgressRequest.exec("sh"));
        assertThat(outside.allowed()).isTrue();
        assertThat(outside.record()).isFalse();
    }

    @Test
    void egress_defaults_merge_across_files_and_decide() {
        PolicyEngine e = new PolicyEngine(Policies.files(
                "a.yaml", Policies.HEADER + "default: allow\negress: {default_in_tools: deny}\n",
                "b.yaml", Policies.HEADER + "egress: {outside_tools: deny}\n"), EngineState.inMemory());
        EgressVerdict in = e.decideEgress("any.tool", SESSION, EgressRequest.http("GET", "h", 80));
        assertThat(in.blocks()).isTrue();
        assertThat(in.rule()).isEqualTo("tools.any.tool.egress.http");
        assertThat(in.reason()).contains("default_in_tools is deny");
        EgressVerdict outside = e.decideEgress(null, null, EgressRequest.http("GET", "h", 80));
        assertThat(outside.blocks()).isTrue();
        assertThat(outside.rule()).isEqualTo("egress.outside_tools");
        EgressVerdict audited = new PolicyEngine(Policies.bundle("egress: {outside_tools: audit}\n"))
                .decideEgress(null, null, EgressRequest.exec("sh"));
        assertThat(audited.allowed()).isTrue();
        assertThat(audited.record()).isTrue();
    }

    @Test
    void an_egress_default_set_in_two_files_is_a_load_error_naming_the_first() {
        LoadResult r = BundleLoader.loadTexts(Map.of(
                "a.yaml", Policies.HEADER + "egress: {outside_tools: deny}\n",
                "b.yaml", Policies.HEADER + "egress: {outside_tools: audit}\n"));
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.toString()).contains("b.yaml")
                .contains("egress.outside_tools is already set in a.yaml"));
    }

    @Test
    void malformed_egress_entries_are_load_errors() {
        for (String body : List.of(
                "tools:\n  t:\n    action: allow\n    egress: {ftp: allow}\n",
                "tools:\n  t:\n    action: allow\n    egress: {sql: maybe}\n",
                "tools:\n  t:\n    action: allow\n    egress: {sql: {statements: [selekt]}}\n",
                "tools:\n  t:\n    action: allow\n    egress: {http: {hostz: [a]}}\n",
                "egress: {default_in_tools: audit}\n",
                "sequences:\n  - {name: s, after: [a], deny: ['egress:ftp:*']}\n",
                "sequences:\n  - {name: s, after: [a], deny: ['egress:http:host.example']}\n")) {
            LoadResult r = BundleLoader.loadTexts(Map.of("p.yaml", Policies.HEADER + body));
            assertThat(r.errors()).as(body).isNotEmpty();
        }
    }

    @Test
    void a_shadow_mode_file_writes_the_denial_but_does_not_block() {
        PolicyEngine e = new PolicyEngine(Policies.bundle("mode: shadow\ntools:\n  t:\n    action: allow\n"
                + "    egress: {exec: deny}\n"));
        EgressVerdict v = e.decideEgress("t", SESSION, EgressRequest.exec("sh"));
        assertThat(v.allowed()).isFalse();
        assertThat(v.enforced()).isFalse();
        assertThat(v.blocks()).isFalse();
        assertThat(v.record()).isTrue();
    }

    @Test
    void no_policy_refuses_egress_inside_calls_and_leaves_it_alone_outside() {
        PolicyEngine none = PolicyEngine.noPolicy();
        assertThat(none.decideEgress("t", SESSION, EgressRequest.exec("sh")).blocks()).isTrue();
        assertThat(none.decideEgress(null, null, EgressRequest.exec("sh")).blocks()).isFalse();
    }

    @Test
    void a_sequence_over_egress_events_refuses_an_outside_post_after_a_crm_read() {
        PolicyEngine e = new PolicyEngine(Policies.bundle("""
                default: allow
                sequences:
                  - name: no-crm-exfiltration
                    after: ["crm.read*"]
                    deny: ["egress:http:POST:*"]
                    within: session
                    reason: CRM data may not leave by HTTP POST
                """), EngineState.inMemory());
        EgressRequest post = EgressRequest.http("POST", "evil.example", 443);
        assertThat(e.decideEgress("report.export", SESSION, post).allowed()).isTrue();
        assertThat(e.decide(new ToolCall("crm.read_account", Map.of(), SESSION)).action()).isEqualTo(Action.ALLOW);
        EgressVerdict v = e.decideEgress("report.export", SESSION, post);
        assertThat(v.blocks()).isTrue();
        assertThat(v.rule()).isEqualTo("sequences.no-crm-exfiltration");
        assertThat(v.reason()).isEqualTo("CRM data may not leave by HTTP POST");
        // a GET is no POST; another session has read nothing
        assertThat(e.decideEgress("report.export", SESSION, EgressRequest.http("GET", "evil.example", 443)).allowed())
                .isTrue();
        assertThat(e.decideEgress("report.export", Map.of("session", Map.of("id", "s2")), post).allowed()).isTrue();
        // nothing to check against: denied
        assertThat(e.decideEgress("report.export", Map.of(), post).blocks()).isTrue();
    }

    @Test
    void an_egress_event_arms_a_sequence_that_denies_a_tool_and_tool_globs_never_match_egress() {
        PolicyEngine e = new PolicyEngine(Policies.bundle("""
                default: allow
                tools:
                  email.send_external: {action: allow}
                sequences:
                  - name: read-then-no-mail
                    after: ["egress:sql:crm.*"]
                    deny: [email.send_external, "*"]
                """), EngineState.inMemory());
        EgressRequest read = EgressRequest.sql(List.of("select"), List.of("crm.accounts"));
        assertThat(e.decideEgress("crm.lookup", SESSION, read).allowed()).isTrue();
        assertThat(e.decide(new ToolCall("email.send_external", Map.of(), SESSION)).action()).isEqualTo(Action.ALLOW);
        e.egressRan(SESSION, read);
        Decision d = e.decide(new ToolCall("email.send_external", Map.of(), SESSION));
        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("sequences.read-then-no-mail");
        // deny: ["*"] names tools, not egress events
        assertThat(e.decideEgress("crm.lookup", SESSION, EgressRequest.exec("sh")).allowed()).isTrue();
    }
}
