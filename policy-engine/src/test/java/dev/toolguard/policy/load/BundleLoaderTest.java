package dev.toolguard.policy.load;

import com.sun.net.httpserver.HttpServer;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Loading bundles from files, directories and URLs, and the load errors that need no expressions. */
class BundleLoaderTest {

    @TempDir
    Path dir;

    private static final String HEADER = "apiVersion: toolguard.dev/v1\nkind: Policy\n";

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static LoadError onlyError(LoadResult result) {
        assertThat(result.bundle()).isNull();
        assertThat(result.errors()).hasSize(1);
        return result.errors().get(0);
    }

    @Test
    void fileLoadsWithNameVersionAndSha256OfItsBytes() throws Exception {
        String text = HEADER + "metadata: {name: support-agent, version: \"2026-11-21.1\"}\ntools:\n  t: {action: allow}\n";
        Path file = write("p.yaml", text);

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.errors()).isEmpty();
        PolicyBundle bundle = result.bundle();
        assertThat(bundle.name()).isEqualTo("support-agent");
        assertThat(bundle.version()).isEqualTo("2026-11-21.1");
        assertThat(bundle.sources()).containsExactly(file.toString());
        assertThat(bundle.sha256()).isEqualTo(sha256(text));
    }

    @Test
    void directoryLoadsItsPolicyFilesInNameOrderWithoutDescending() throws Exception {
        String b = HEADER + "forbid:\n  - tools: [b_tool]\n";
        String a = HEADER + "metadata: {name: first}\nforbid:\n  - tools: [a_tool]\n";
        write("b.yml", b);
        write("a.yaml", a);
        write("notes.txt", "not a policy");
        write("drafts/c.yaml", "this: is not loaded");

        LoadResult result = BundleLoader.load(List.of(dir.toString()));

        assertThat(result.errors()).isEmpty();
        CompiledBundle bundle = (CompiledBundle) result.bundle();
        assertThat(bundle.sources()).containsExactly(dir.resolve("a.yaml").toString(), dir.resolve("b.yml").toString());
        assertThat(bundle.forbids()).extracting(f -> f.tools().get(0).pattern()).containsExactly("a_tool", "b_tool");
        assertThat(bundle.name()).isEqualTo("first");
        assertThat(bundle.sha256()).isEqualTo(sha256(a + b));
    }

    @Test
    void forbidIndexesRunAcrossFilesInNameOrder() throws Exception {
        write("10-base.yaml", HEADER + "forbid:\n  - tools: [x]\n  - tools: [y]\n");
        write("20-extra.json", "{\"forbid\": [{\"tools\": [\"z\"], \"reason\": \"no z\"}]}");

        CompiledBundle bundle = (CompiledBundle) BundleLoader.load(List.of(dir.toString())).bundle();

        assertThat(bundle.forbids()).extracting(ForbidEntry::ruleId).containsExactly("forbid[0]", "forbid[1]", "forbid[2]");
        assertThat(bundle.forbids().get(2).reason()).isEqualTo("no z");
    }

    @Test
    void httpSourceIsFetched() throws Exception {
        String text = HEADER + "metadata: {name: remote}\ntools:\n  t: {action: allow}\n";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/bundle.yaml", exchange -> {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/bundle.yaml";

            LoadResult result = BundleLoader.load(List.of(url));

            assertThat(result.errors()).isEmpty();
            assertThat(result.bundle().name()).isEqualTo("remote");
            assertThat(result.bundle().sources()).containsExactly(url);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void httpSourceThatFailsIsALoadError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/missing.yaml";

            LoadError error = onlyError(BundleLoader.load(List.of(url)));

            assertThat(error.toString()).isEqualTo(url + ":1:1: fetching the policy failed: HTTP status 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void missingFileIsALoadError() {
        LoadError error = onlyError(BundleLoader.load(List.of(dir.resolve("nope.yaml").toString())));

        assertThat(error.message()).isEqualTo("no such file or directory");
    }

    @Test
    void oneBadFileMeansNoBundle() throws Exception {
        write("a.yaml", HEADER + "tools:\n  t: {action: allow}\n");
        write("b.yaml", HEADER + "tols: {}\n");

        LoadResult result = BundleLoader.load(List.of(dir.toString()));

        assertThat(result.ok()).isFalse();
        assertThat(result.bundle()).isNull();
    }

    @Test
    void unknownKeyNamesTheKeyAndTheExpectedOnes() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    acton: allow\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 5, 5, "unknown key 'acton' (expected one of: "
                + "description, arguments, lock, action, reason, approval, rules, rate_limit, budget, egress)"));
    }

    @Test
    void wrongValueTypeIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "roles:\n  support: {a: b}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 4, 12, "'support' must be a list, not a mapping"));
    }

    @Test
    void badDurationIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: require_approval\n    approval: {timeout: 10 minutes}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.line()).isEqualTo(6);
        assertThat(error.column()).isEqualTo(25);
        assertThat(error.message()).startsWith("'timeout': '10 minutes' is not a duration");
    }

    @Test
    void aBadRateLimitEntryIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    rate_limit:\n"
                + "      - {limit: 60, per: 1m}\n      - {limit: 20, per: 1m, when: 'ctx.agent.tier =='}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.line()).isEqualTo(8);
        assertThat(error.message()).startsWith("bad expression 'ctx.agent.tier =='");
    }

    @Test
    void aRateLimitEntryWithAnUnknownKeyIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    rate_limit:\n"
                + "      - {limit: 60, per: 1m, tools: [x]}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.line()).isEqualTo(7);
        assertThat(error.message()).isEqualTo("unknown key 'tools' (expected one of: limit, per, key, when)");
    }

    @Test
    void aBundleLimitWithoutToolsOrWithABadPeriodIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "limits:\n  - {limit: 100, per: 1m}\n"
                + "  - {tools: [\"*\"], limit: 100, per: soon}\n");

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).extracting(LoadError::line).containsExactly(4, 5);
        assertThat(result.errors().get(0).message()).contains("'tools'");
        assertThat(result.errors().get(1).message()).contains("'per'");
    }

    @Test
    void aSingleRateLimitMapTakesNoCondition() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n"
                + "    rate_limit: {limit: 60, per: 1m, when: 'true'}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.message()).isEqualTo("unknown key 'when' (expected one of: limit, per, key)");
    }

    @Test
    void badSequenceWindowIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "sequences:\n  - {name: s, after: [a], deny: [b], within: forever}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.line()).isEqualTo(4);
        assertThat(error.column()).isEqualTo(46);
        assertThat(error.message()).startsWith("'within' must be session or a duration");
    }

    @Test
    void invalidSchemaIsLocatedAtTheBadKeyword() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    arguments:\n      type: object\n"
                + "      properties:\n        n: {type: 12}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.file()).isEqualTo(file.toString());
        assertThat(error.line()).isEqualTo(9);
        assertThat(error.column()).isEqualTo(19);
        assertThat(error.message()).startsWith("invalid JSON Schema at /properties/n/type: ");
    }

    @Test
    void externalRefIsRefusedAndNeverFetched() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    arguments:\n"
                + "      $ref: https://example.invalid/schema.json\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 7, 13, "$ref 'https://example.invalid/schema.json' "
                + "points outside the bundle; only references inside the schema (#...) are allowed"));
    }

    @Test
    void localRefInsideTheSchemaIsAllowed() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    arguments:\n"
                + "      type: object\n      properties: {amount: {$ref: '#/$defs/money'}}\n"
                + "      $defs: {money: {type: number, minimum: 0}}\n");

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.errors()).isEmpty();
        ArgumentSchema schema = ((CompiledBundle) result.bundle()).tool("t").arguments();
        assertThat(schema.validate(Map.of("amount", -1))).isEqualTo(
                new ArgumentSchema.Failure("/amount", schema.validate(Map.of("amount", -1)).message()));
        assertThat(schema.validate(Map.of("amount", 5))).isNull();
    }

    @Test
    void formatsAreAssertedNotJustAnnotated() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    arguments:\n      type: object\n"
                + "      properties:\n"
                + "        email: {type: string, format: email}\n"
                + "        uri: {type: string, format: uri}\n"
                + "        at: {type: string, format: date-time}\n"
                + "        id: {type: string, format: uuid}\n"
                + "        v4: {type: string, format: ipv4}\n"
                + "        v6: {type: string, format: ipv6}\n");
        ArgumentSchema schema = ((CompiledBundle) BundleLoader.load(List.of(file.toString())).bundle()).tool("t").arguments();

        assertThat(schema.validate(Map.of("email", "a@example.com", "uri", "https://x.example/a",
                "at", "2026-11-21T10:15:30Z", "id", "123e4567-e89b-12d3-a456-426614174000", "v4", "10.0.0.1",
                "v6", "::1"))).isNull();
        assertThat(schema.validate(Map.of("email", "not-an-email")).pointer()).isEqualTo("/email");
        assertThat(schema.validate(Map.of("uri", "not a uri")).pointer()).isEqualTo("/uri");
        assertThat(schema.validate(Map.of("at", "yesterday")).pointer()).isEqualTo("/at");
        assertThat(schema.validate(Map.of("id", "1234")).pointer()).isEqualTo("/id");
        assertThat(schema.validate(Map.of("v4", "300.1.1.1")).pointer()).isEqualTo("/v4");
        assertThat(schema.validate(Map.of("v6", "::g")).pointer()).isEqualTo("/v6");
    }

    @Test
    void anEnumSaysItsValuesAsJsonAndMatchesOnlyThem() throws Exception {
        // the validator writes an enum's values with the nodes' toString(), which ours say without an ObjectMapper
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    arguments:\n      type: object\n"
                + "      properties: {reason: {enum: [damaged, \"say \\\"no\\\"\", 3]}}\n");
        ArgumentSchema schema = ((CompiledBundle) BundleLoader.load(List.of(file.toString())).bundle()).tool("t").arguments();

        assertThat(schema.validate(Map.of("reason", "damaged"))).isNull();
        assertThat(schema.validate(Map.of("reason", "say \"no\""))).isNull();
        assertThat(schema.validate(Map.of("reason", 3))).isNull();
        ArgumentSchema.Failure failure = schema.validate(Map.of("reason", "goodwill"));
        assertThat(failure.pointer()).isEqualTo("/reason");
        assertThat(failure.message()).contains("[\"damaged\", \"say \\\"no\\\"\", 3]");
    }

    @Test
    void theArgumentTreesTextNodesEqualJacksonsOwn() {
        com.fasterxml.jackson.databind.JsonNode text = ArgumentSchema.toJson("a \"b\"\n");

        assertThat(text).isEqualTo(com.fasterxml.jackson.databind.node.TextNode.valueOf("a \"b\"\n"));
        assertThat(text.toString()).isEqualTo(com.fasterxml.jackson.databind.node.TextNode.valueOf("a \"b\"\n").toString());
    }

    @Test
    void missingRequiredArgumentPointsAtIt() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    arguments:\n      type: object\n"
                + "      required: [email]\n      additionalProperties: false\n      properties: {email: {type: string}}\n");
        ArgumentSchema schema = ((CompiledBundle) BundleLoader.load(List.of(file.toString())).bundle()).tool("t").arguments();

        assertThat(schema.validate(Map.of()).pointer()).isEqualTo("/email");
        assertThat(schema.validate(Map.of("email", "e", "extra", 1)).pointer()).isEqualTo("/extra");
    }

    @Test
    void sameToolInTwoFilesNamesBoth() throws Exception {
        Path a = write("a.yaml", HEADER + "tools:\n  t: {action: allow}\n");
        Path b = write("b.yaml", HEADER + "tools:\n  t: {action: deny}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(dir.toString())));

        assertThat(error).isEqualTo(new LoadError(b.toString(), 4, 3,
                "tool 't' is defined in both " + a + " and " + b));
    }

    @Test
    void roleDefinedTwiceIsAnError() throws Exception {
        Path a = write("a.yaml", HEADER + "roles:\n  manager: [x]\n");
        Path b = write("b.yaml", HEADER + "roles:\n  manager: [y]\n");

        LoadError error = onlyError(BundleLoader.load(List.of(dir.toString())));

        assertThat(error).isEqualTo(new LoadError(b.toString(), 4, 3, "role 'manager' is already defined in " + a));
    }

    @Test
    void rolesMergeAcrossFiles() throws Exception {
        write("a.yaml", HEADER + "roles:\n  l1: [x]\n");
        write("b.yaml", HEADER + "roles:\n  l2: [\"crm.*\"]\n");

        CompiledBundle bundle = (CompiledBundle) BundleLoader.load(List.of(dir.toString())).bundle();

        assertThat(bundle.roles()).containsOnlyKeys("l1", "l2");
    }

    @Test
    void defaultsThatDisagreeAreAnError() throws Exception {
        Path a = write("a.yaml", HEADER + "default: allow\n");
        Path b = write("b.yaml", HEADER + "default: deny\n");

        LoadError error = onlyError(BundleLoader.load(List.of(dir.toString())));

        assertThat(error).isEqualTo(new LoadError(b.toString(), 3, 10, "default: deny disagrees with default: allow in " + a));
    }

    @Test
    void defaultThatAgreesIsFine() throws Exception {
        write("a.yaml", HEADER + "default: allow\n");
        write("b.yaml", HEADER + "default: allow\n");

        CompiledBundle bundle = (CompiledBundle) BundleLoader.load(List.of(dir.toString())).bundle();

        assertThat(bundle.defaultAction()).isEqualTo(Action.ALLOW);
    }

    @Test
    void badActionNameIsLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: alow\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 5, 13,
                "unknown action 'alow' (expected allow, deny or require_approval)"));
    }

    @Test
    void approvalOnANonApprovalActionIsAnError() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    approval: {timeout: 1m}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 6, 5,
                "'approval' is only for action require_approval, not allow"));
    }

    @Test
    void badApprovalFieldsAreEachLocated() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: require_approval\n"
                + "    approval: {on_timeout: maybe, mode: later, by: me}\n");

        LoadResult result = BundleLoader.load(List.of(file.toString()));

        assertThat(result.errors()).extracting(LoadError::toString).containsExactlyInAnyOrder(
                file + ":6:48: unknown key 'by' (expected one of: timeout, on_timeout, mode)",
                file + ":6:28: unknown on_timeout 'maybe' (expected allow or deny)",
                file + ":6:41: unknown approval mode 'later' (expected wait or ticket)");
    }

    @Test
    void approvalBlockIsCompiled() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: require_approval\n"
                + "    approval: {timeout: 30s, on_timeout: allow, mode: ticket}\n");

        CompiledBundle bundle = (CompiledBundle) BundleLoader.load(List.of(file.toString())).bundle();

        Rule rule = bundle.tool("t").rules().get(0);
        assertThat(rule.ruleId()).isEqualTo("tools.t.rules[0]");
        assertThat(rule.approval()).isEqualTo(new ApprovalSpec(Duration.ofSeconds(30), Action.ALLOW, ApprovalSpec.Mode.TICKET));
    }

    @Test
    void actionAndRulesTogetherIsAnError() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  t:\n    action: allow\n    rules: []\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error.line()).isEqualTo(5);
        assertThat(error.message()).contains("both 'action' and 'rules'");
    }

    @Test
    void forbidWithAnEmptyToolListIsAnError() throws Exception {
        Path file = write("p.yaml", HEADER + "forbid:\n  - tools: []\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 4, 12,
                "'tools' names no tool; leave it out to apply the entry to every tool"));
    }

    @Test
    void sequenceWithoutAfterIsAnError() throws Exception {
        Path file = write("p.yaml", HEADER + "sequences:\n  - {name: s, deny: [b]}\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 4, 5, "missing required key 'after'"));
    }

    @Test
    void wrongApiVersionIsAnError() throws Exception {
        Path file = write("p.yaml", "apiVersion: toolguard.dev/v9\nkind: Policy\n");

        LoadError error = onlyError(BundleLoader.load(List.of(file.toString())));

        assertThat(error).isEqualTo(new LoadError(file.toString(), 1, 13, "apiVersion must be toolguard.dev/v1, not 'toolguard.dev/v9'"));
    }

    @Test
    void toolsAreFoundByExactNameBeforeGlobs() throws Exception {
        Path file = write("p.yaml", HEADER + "tools:\n  \"crm.*\": {action: allow}\n  crm.delete: {action: deny}\n"
                + "  \"*\": {action: deny}\n");

        CompiledBundle bundle = (CompiledBundle) BundleLoader.load(List.of(file.toString())).bundle();

        assertThat(bundle.tool("crm.delete").name()).isEqualTo("crm.delete");
        assertThat(bundle.tool("crm.read.contacts").name()).isEqualTo("crm.*");
        assertThat(bundle.tool("email.send").name()).isEqualTo("*");
    }

    @Test
    void fileModeIsCarriedOntoItsToolsAndForbidEntries() throws Exception {
        write("a.yaml", HEADER + "tools:\n  t: {action: allow}\nforbid:\n  - tools: [x]\n");
        write("b.yaml", HEADER + "mode: shadow\ntools:\n  u: {action: allow}\nforbid:\n  - tools: [y]\n");

        CompiledBundle bundle = (CompiledBundle) BundleLoader.load(List.of(dir.toString())).bundle();

        assertThat(bundle.tool("t").enforced()).isTrue();
        assertThat(bundle.tool("u").enforced()).isFalse();
        assertThat(bundle.forbids()).extracting(ForbidEntry::enforced).containsExactly(true, false);
    }

    @Test
    void loadsFromTextsInMemory() {
        LoadResult result = BundleLoader.loadTexts(Map.of("p.yaml", HEADER + "metadata: {name: mem}\n"));

        assertThat(result.bundle().name()).isEqualTo("mem");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
