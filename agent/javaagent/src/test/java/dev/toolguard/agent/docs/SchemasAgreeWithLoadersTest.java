package dev.toolguard.agent.docs;

import dev.toolguard.agent.docs.ShippedSchemas.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schemas close the sets of keys the loaders close: a file a loader rejects for an unknown key (or a value
 * outside an enum) is rejected by the schema too, at every level of nesting.
 */
class SchemasAgreeWithLoadersTest {

    private static final String POLICY_HEAD = "apiVersion: toolguard.dev/v1\nkind: Policy\nmetadata: {name: p, version: \"1\"}\n";

    @ParameterizedTest(name = "policy: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            a misspelt top-level key   | tool:\\n  t: {action: allow}\\n
            a key beside metadata      | metadata2: {name: x}\\n
            an unknown key in a tool   | tools:\\n  t: {action: allow, acton: deny}\\n
            an unknown key in a rule   | tools:\\n  t:\\n    rules:\\n      - {when: 'true', action: allow, reson: x}\\n
            an unknown approval key    | tools:\\n  t:\\n    action: require_approval\\n    approval: {timeout: 1m, on_timeout: deny, wait: true}\\n
            an unknown rate_limit key  | tools:\\n  t:\\n    action: allow\\n    rate_limit: {limit: 1, per: 1m, burst: 2}\\n
            an unknown budget key      | tools:\\n  t:\\n    action: allow\\n    budget: {cost: '1', limit: 5, per: 1d, currency: EUR}\\n
            an unknown forbid key      | forbid:\\n  - {tools: [x], reason: r, action: deny}\\n
            an unknown sequences key   | sequences:\\n  - {name: s, after: [a], deny: [b], within: session, unless: x}\\n
            an unknown metadata key    | metadata: {name: p, owner: me}\\n
            an action outside the enum | tools:\\n  t: {action: permit}\\n
            a default outside the enum | default: maybe\\n
            a mode outside the enum    | mode: audit\\n
            a rate limit per zero time | tools:\\n  t:\\n    action: allow\\n    rate_limit: {limit: 1, per: 0s}\\n
            a sequence within no time  | sequences:\\n  - {name: s, after: [a], deny: [b], within: 0ms}\\n
            a duration in words        | tools:\\n  t:\\n    action: require_approval\\n    approval: {timeout: ten minutes}\\n
            an approval on an allow    | tools:\\n  t:\\n    rules:\\n      - {action: allow, approval: {timeout: 1m}}\\n
            both action and rules      | tools:\\n  t:\\n    action: allow\\n    rules: [{action: deny}]\\n
            an unknown rate_limit entry key | tools:\\n  t:\\n    action: allow\\n    rate_limit:\\n      - {limit: 1, per: 1m, burst: 2}\\n
            a when on a single rate_limit | tools:\\n  t:\\n    action: allow\\n    rate_limit: {limit: 1, per: 1m, when: 'true'}\\n
            an empty rate_limit list   | tools:\\n  t:\\n    action: allow\\n    rate_limit: []\\n
            a limits entry without tools | limits:\\n  - {limit: 100, per: 1m}\\n
            an unknown limits key      | limits:\\n  - {tools: ['*'], limit: 100, per: 1m, burst: 2}\\n
            a limits entry per zero time | limits:\\n  - {tools: ['*'], limit: 100, per: 0s}\\n
            an unknown egress kind     | tools:\\n  t:\\n    action: allow\\n    egress: {ftp: allow}\\n
            an egress kind in words    | tools:\\n  t:\\n    action: allow\\n    egress: {sql: sometimes}\\n
            an unknown statement kind  | tools:\\n  t:\\n    action: allow\\n    egress: {sql: {statements: [selekt]}}\\n
            an unknown http constraint | tools:\\n  t:\\n    action: allow\\n    egress: {http: {host: [a]}}\\n
            an unknown egress default  | egress: {outside: deny}\\n
            an outside_tools outside the enum | egress: {outside_tools: maybe}\\n
            a default_in_tools of audit | egress: {default_in_tools: audit}\\n
            """)
    void a_policy_the_loader_rejects_the_schema_rejects(String what, String body) throws IOException {
        String text = body.startsWith("metadata")
                ? "apiVersion: toolguard.dev/v1\nkind: Policy\n" + unescape(body) : POLICY_HEAD + unescape(body);
        assertBothReject(Kind.POLICY, "p.yaml", text);
    }

    @ParameterizedTest(name = "toolguard.yaml: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            a misspelt top-level key   | polcy:\\n  sources: [p/]\\n
            an unknown policy key      | policy:\\n  sources: [p/]\\n  reload_every: 2s\\n
            a first_load_wait not a duration | policy:\\n  sources: [p/]\\n  first_load_wait: soon\\n
            an unknown audit key       | audit:\\n  file: a.jsonl\\n  rotate: daily\\n
            an unknown admin key       | admin:\\n  listen: 127.0.0.1:0\\n  token: abc\\n
            an unknown admin user key  | admin:\\n  listen: 127.0.0.1:0\\n  users: [{name: a, token_env: T, role: admin, email: x}]\\n
            an unknown approvals key   | approvals:\\n  webhook: https://h/x\\n  secret: s\\n
            an unknown instrumentation key | instrumentation:\\n  rule: [r.yaml]\\n
            an fsync outside the enum  | audit:\\n  fsync: sometimes\\n
            a layout outside the enum  | audit:\\n  layout: ring\\n
            an on_error outside the enum | on_error: ignore\\n
            an unknown built-in rule set | instrumentation:\\n  builtin: [langchain]\\n
            an unknown credentials key | credentials:\\n  c:\\n    from_env: X\\n    http_header: {name: A, value: '{secret}'}\\n    hosts: [h]\\n    tools: [t]\\n    scope: x\\n
            a credential with two sources | credentials:\\n  c:\\n    from_env: X\\n    from_file: f\\n    http_header: {name: A, value: '{secret}'}\\n    hosts: [h]\\n    tools: [t]\\n
            """)
    void a_config_the_loader_rejects_the_schema_rejects(String what, String body) throws IOException {
        assertBothReject(Kind.CONFIG, "toolguard", unescape(body));
    }

    @ParameterizedTest(name = "rules.yaml: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            a misspelt top-level key   | tool:\\n  - {class: a.B, method: m}\\n
            an unknown entry key       | tools:\\n  - {class: a.B, method: m, methods: n}\\n
            two kinds in one entry     | tools:\\n  - {class: a.B, implements: a.C, method: m}\\n
            no kind                    | tools:\\n  - {method: m}\\n
            a class without a method   | tools:\\n  - {class: a.B}\\n
            name_from without annotation | tools:\\n  - {class: a.B, method: m, name_from: value}\\n
            """)
    void a_rules_file_the_loader_rejects_the_schema_rejects(String what, String body) throws IOException {
        assertBothReject(Kind.RULES, "rules.yaml", unescape(body));
    }

    @ParameterizedTest(name = "cases: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            an unknown case key        | cases:\\n  - {name: a, tool: t, expect: allow, expected_rule: x}\\n
            an expect outside the enum | cases:\\n  - {name: a, tool: t, expect: maybe}\\n
            """)
    void a_cases_file_the_loader_rejects_the_schema_rejects(String what, String body) throws IOException {
        assertBothReject(Kind.CASES, "cases.yaml", unescape(body));
    }

    @Test
    void a_fragment_is_checked_against_the_part_of_the_schema_it_names() {
        Object tool = ShippedSchemas.plain("t.yaml", "action: allow\nacton: deny\n");
        assertThat(ShippedSchemas.problems(Kind.POLICY, "/$defs/tool", tool)).isNotEmpty();
        assertThat(ShippedSchemas.problems(Kind.POLICY, "/$defs/tool", ShippedSchemas.plain("t.yaml", "action: allow\n")))
                .isEmpty();
    }

    @Test
    void an_arguments_schema_is_checked_as_a_json_schema() {
        Object tool = ShippedSchemas.plain("t.yaml", "arguments: {type: object, required: email}\naction: allow\n");
        assertThat(ShippedSchemas.problems(Kind.POLICY, "/$defs/tool", tool)).isNotEmpty();
    }

    private static void assertBothReject(Kind kind, String name, String text) throws IOException {
        List<String> loader = Loaders.problems(kind, name, text);
        List<String> schema = ShippedSchemas.problems(kind, ShippedSchemas.plain(name, text));
        assertThat(loader).as("the " + kind + " loader on\n" + text).isNotEmpty();
        assertThat(schema).as("the " + kind + " schema on\n" + text).isNotEmpty();
    }

    private static String unescape(String body) {
        return body.replace("\\n", "\n");
    }
}
