package dev.toolguard.policy.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.fuzz.Fuzz;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §3 and STYLE ("loading returns every problem with its location"): whatever bytes a policy file holds,
 * loading gives a bundle or load errors, each naming the file, a line and a column inside it; it never
 * throws. Inputs are random text, text mutations of valid policies (anchors, aliases, tags, deep nesting,
 * long and unicode strings spliced in) and policy trees built from the keys of SPEC §3 with odd values.
 *
 * <p>Bounded and seeded ({@link Fuzz}): 1,000 tries each from a fixed seed, fewer for the costlier ones;
 * {@code -Dtoolguard.fuzz.tries=100000} runs a longer session (docs/security.md).
 */
class BundleLoaderFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Valid policies to mutate: each loads as it is (checked by {@link #theSeedPoliciesLoad}). */
    private static final List<String> SEEDS = List.of(
            """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: support-agent, version: "2026-11-21.1"}
            default: deny
            mode: enforce
            roles:
              support_l1: [issue_refund, reset_password, "crm.read*"]
              manager: ["crm.*", "email.*", issue_refund]
            forbid:
              - when: has(ctx.user.suspended) && ctx.user.suspended
                reason: suspended users cannot act through agents
              - tools: ["*.delete*", drop_table]
                reason: destructive operations are not available to agents
            tools:
              reset_password:
                arguments:
                  type: object
                  required: [email]
                  properties: {email: {type: string, format: email}}
                  additionalProperties: false
                lock:
                  email: ctx.user.email
                action: allow
              issue_refund:
                rate_limit: {limit: 20, per: 1h, key: ctx.user.id}
                budget: {cost: args.amount, limit: 5000, per: 1d, key: ctx.tenant}
                rules:
                  - when: '"support_l1" in ctx.user.roles && args.amount <= 200'
                    action: allow
                  - when: args.amount > 2000
                    action: require_approval
                    approval: {timeout: 10m, on_timeout: deny, mode: wait}
                  - action: deny
                    reason: refund amount not allowed for your role
              delete_database:
                action: deny
                reason: Destructive operations not permitted for support agents
            sequences:
              - name: no-crm-exfiltration
                after: ["crm.read*"]
                deny: [email.send_external]
                within: session
                reason: CRM data may not leave the company by email
            """,
            """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: small}
            tools:
              t: {action: allow}
              "crm.*":
                rules:
                  - {when: "tool.startsWith('crm.') && size(args) < 3", action: allow}
            """,
            """
            {"apiVersion": "toolguard.dev/v1", "kind": "Policy", "metadata": {"name": "json"},
             "default": "allow",
             "tools": {"send": {"rules": [{"when": "args.to.endsWith('@example.com')", "action": "allow"},
                                          {"action": "deny", "reason": "external"}]}}}
            """);

    private static final List<String> FRAGMENTS = List.of("&a ", "*a", "<<: *a\n", "&a [*a]", "!!binary ", "!!str ",
            "!!python/object:x ", "!<tag:x> ", "? ", ": ", "- ", "\n  - ", "\n    ", "\t", "{", "}", "[", "]", ",", "'",
            "\"", "#", "|\n  ", ">-\n  ", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! tag:x\n", "~", "null", "yes", "1e999",
            "0x", "-.inf", ".nan", "2026-11-21", "é", "🙂", "\u0000", "\uFEFF", "\u2028", "\r\n", "\\", "when: ",
            "action: ", "tools: ", "rules: ", "forbid:\n  - ", "arguments: {$ref: 'http://x'}", "per: 1x",
            "[".repeat(200), "{a: ".repeat(150), "x".repeat(5000), "'" + "é".repeat(1000) + "'");

    // ---- properties ----

    private record NamedText(String name, String text) {
    }

    private record TwoFiles(String a, String b) {
    }

    private static final List<String> FILE_NAMES = List.of("p.yaml", "p.yml", "p.json", "P.JSON", "p");

    @Test
    void randomTextLoadsOrFailsWithLocatedErrors() {
        Fuzz.forAll(20261210L, f -> new NamedText(f.pick(FILE_NAMES), f.string(0, 255)),
                in -> assertLoadsOrIsLocated(Map.of(in.name(), in.text())));
    }

    @Test
    void mutatedPoliciesLoadOrFailWithLocatedErrors() {
        Fuzz.forAll(20261211L, f -> {
            String text = mutatedPolicy(f);
            return new NamedText(f.pick(FILE_NAMES), text);
        }, in -> assertLoadsOrIsLocated(Map.of(in.name(), in.text())));
    }

    @Test
    void policyTreesWithOddValuesLoadOrFailWithLocatedErrors() {
        Fuzz.forAll(20261212L, 500, f -> {
            Map<String, Object> tree = policyTree(f);
            boolean asJson = f.bool();
            return new NamedText(asJson ? "p.json" : "p.yaml", asJson ? json(tree) : yaml().dump(tree));
        }, in -> assertLoadsOrIsLocated(Map.of(in.name(), in.text())));
    }

    @Test
    void bundlesOfSeveralMutatedFilesLoadOrFailWithLocatedErrors() {
        Fuzz.forAll(20261213L, 300, f -> {
            String a = mutatedPolicy(f);
            return new TwoFiles(a, mutatedPolicy(f));
        }, in -> assertLoadsOrIsLocated(Map.of("a.yaml", in.a(), "dir/b.yaml", in.b())));
    }

    @Test
    void theSeedPoliciesLoad() {
        for (int i = 0; i < SEEDS.size(); i++) {
            String name = SEEDS.get(i).startsWith("{") ? "seed.json" : "seed.yaml";
            LoadResult result = BundleLoader.loadTexts(Map.of(name, SEEDS.get(i)));
            assertThat(result.errors()).as("seed %d", i).isEmpty();
            assertThat(result.bundle()).isNotNull();
        }
    }

    // ---- assertion ----

    private static void assertLoadsOrIsLocated(Map<String, String> texts) {
        LoadResult result = BundleLoader.loadTexts(texts);
        if (result.bundle() != null) {
            assertThat(result.errors()).as("a loaded bundle has no errors").isEmpty();
            return;
        }
        assertThat(result.errors()).as("a bundle that did not load says why").isNotEmpty();
        for (LoadError error : result.errors()) {
            assertThat(texts).as("the file of %s", error).containsKey(error.file());
            long lines = texts.get(error.file()).lines().count();
            assertThat(error.line()).as("the line of %s", error).isBetween(1, (int) lines + 2);
            assertThat(error.column()).as("the column of %s", error).isPositive();
            // an exception's class name in a message means one was caught that no check anticipated
            assertThat(error.message()).as("the message of %s", error).isNotBlank()
                    .doesNotContain("Exception", "java.lang.", "null pointer");
        }
    }

    // ---- generators ----

    /** A seed policy with 1 to 6 edits: fragments inserted, spans deleted or repeated, lines replaced or swapped. */
    private static String mutatedPolicy(Fuzz f) {
        return f.mutate(f.pick(SEEDS), FRAGMENTS, 6, EnumSet.allOf(Fuzz.Edit.class));
    }

    /** A policy document from the keys of SPEC §3, each value sometimes replaced by an odd one. */
    private static Map<String, Object> policyTree(Fuzz f) {
        Supplier<Object> rule = () -> section(f, Map.of(
                "when", () -> expressionText(f), "action", () -> action(f), "reason", () -> text(f),
                "approval", () -> section(f, Map.of("timeout", () -> duration(f), "on_timeout", () -> action(f),
                        "mode", () -> f.pick("wait", "async", "")))));
        Supplier<Object> tool = () -> section(f, Map.of(
                "action", () -> action(f), "reason", () -> text(f), "rules", () -> listOf(f, rule),
                "lock", () -> mapOf(f, () -> f.pick("email", "amount", "x"), () -> expressionText(f)),
                "arguments", () -> schema(f),
                "rate_limit", () -> section(f, Map.of("limit", () -> number(f), "per", () -> duration(f),
                        "key", () -> expressionText(f))),
                "budget", () -> section(f, Map.of("cost", () -> expressionText(f), "limit", () -> number(f),
                        "per", () -> duration(f), "key", () -> expressionText(f))),
                "mode", () -> f.pick("enforce", "shadow", "x")));
        Supplier<Object> forbid = () -> section(f, Map.of("when", () -> expressionText(f),
                "tools", () -> listOf(f, () -> glob(f)), "reason", () -> text(f)));
        Supplier<Object> sequence = () -> section(f, Map.of("name", () -> text(f),
                "after", () -> listOf(f, () -> glob(f)), "deny", () -> listOf(f, () -> glob(f)),
                "within", () -> f.bool() ? duration(f) : "session", "reason", () -> text(f)));
        Map<String, Supplier<Object>> top = new LinkedHashMap<>();
        top.put("apiVersion", () -> odd(f, () -> f.pick("toolguard.dev/v1", "toolguard.dev/v2")));
        top.put("kind", () -> odd(f, () -> f.pick("Policy", "Bundle")));
        top.put("metadata", () -> section(f, Map.of("name", () -> text(f), "version", () -> text(f))));
        top.put("default", () -> odd(f, () -> f.pick("deny", "allow", "maybe")));
        top.put("mode", () -> odd(f, () -> f.pick("enforce", "shadow")));
        top.put("roles", () -> odd(f, () -> mapOf(f, () -> f.pick("support_l1", "manager", ""),
                () -> listOf(f, () -> glob(f)))));
        top.put("forbid", () -> odd(f, () -> listOf(f, forbid)));
        top.put("tools", () -> odd(f, () -> mapOf(f, () -> glob(f), tool)));
        top.put("sequences", () -> odd(f, () -> listOf(f, sequence)));
        top.put("unknown_key", () -> odd(f, () -> text(f)));
        Object tree = section(f, top);
        if (tree instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> document = (Map<String, Object>) map;
            return document;
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("x", tree);
        return document;
    }

    /** A mapping holding a random subset of {@code keys}, or sometimes an odd value instead. */
    private static Object section(Fuzz f, Map<String, Supplier<Object>> keys) {
        return odd(f, () -> {
            List<String> names = new ArrayList<>(keys.keySet());
            names.sort(null);
            Map<String, Object> map = new LinkedHashMap<>();
            for (String name : f.subsetOf(names)) {
                map.put(name, keys.get(name).get());
            }
            return map;
        });
    }

    /** Usually {@code usual}; one time in ten an odd value of another type. */
    private static Object odd(Fuzz f, Supplier<?> usual) {
        if (!f.oneIn(10)) {
            return usual.get();
        }
        return f.<Object>oneOf(
                () -> f.<Object>pick(0, -1, Long.MAX_VALUE, 1.5e300, true, "", "x".repeat(3000), "é🙂\u0000\u2028"),
                () -> null, List::of, Map::of,
                () -> List.of(List.of(List.of(Map.of("a", List.of())))),
                () -> f.wellFormedString(0, 20));
    }

    private static Object listOf(Fuzz f, Supplier<?> element) {
        return odd(f, () -> f.listOf(0, 4, element));
    }

    private static Object mapOf(Fuzz f, Supplier<String> keys, Supplier<?> values) {
        return odd(f, () -> f.mapOf(3, keys, values));
    }

    private static Object text(Fuzz f) {
        return odd(f, () -> f.bool() ? f.pick("refunds need a manager", "v1", "") : f.wellFormedString(0, 30));
    }

    private static Object action(Fuzz f) {
        return odd(f, () -> f.pick("allow", "deny", "require_approval", "permit"));
    }

    private static Object duration(Fuzz f) {
        return odd(f, () -> f.pick("1h", "10m", "500ms", "0s", "1d", "-1s", "1x", "99999999999999999d", "1.5h"));
    }

    private static Object number(Fuzz f) {
        return odd(f, () -> f.bool() ? f.anyInt() : f.<Object>pick(0, -5, 1e18, Double.NaN));
    }

    private static String glob(Fuzz f) {
        return f.bool() ? f.pick("issue_refund", "crm.*", "*", "*.delete*", "", "**", "a b")
                : f.wellFormedString(0, 10);
    }

    private static Object expressionText(Fuzz f) {
        return odd(f, () -> f.bool()
                ? f.pick("args.amount <= 200", "ctx.user.id", "has(ctx.user.suspended)", "args.x.matches('[')",
                        "1 == 1.0", "args.unknown > 1", "size(args) > 0", "args.email.endsWith('@x.com')", "(((",
                        "true", "tool")
                : f.stringOf("args.ctx()[]'\"!=<>&|+-*/%? :0123456789abc", 0, 25));
    }

    private static Object schema(Fuzz f) {
        Supplier<Object> property = () -> odd(f, () -> f.pick(
                Map.of("type", "string"), Map.of("type", "string", "format", "email"), Map.of("type", "integer"),
                Map.of("type", "number", "maximum", 5000), Map.of("type", "nonsense"),
                Map.of("$ref", "#/$defs/missing"), Map.of("$ref", "https://example.com/schema.json"),
                Map.of("format", "uuid", "pattern", "(")));
        return section(f, Map.of("type", () -> odd(f, () -> f.pick("object", "string")),
                "properties", () -> mapOf(f, () -> f.pick("email", "amount", "to"), property),
                "required", () -> listOf(f, () -> f.pick("email", "amount", "missing")),
                "additionalProperties", () -> odd(f, f::bool)));
    }

    private static String json(Map<String, Object> tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options);
    }
}
