package dev.toolguard.agent.cli;

import dev.toolguard.policy.cases.CaseRunner;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.load.LoadResult;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code explain <policy>... --tool T --args JSON --ctx JSON}: decides one call and shows every step. */
final class ExplainCommand implements Command {

    @Override
    public String name() {
        return "explain";
    }

    @Override
    public String summary() {
        return "decide one call and print the decision with its trace";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard explain <policy>... --tool <name> [--args <json>] [--ctx <json>] [--history <tools>]

                Decides one call from empty state and prints the decision and the trace of every step that ran.
                  --tool     the tool name
                  --args     the arguments as a JSON object (default {})
                  --ctx      the context as a JSON object, e.g. '{"user":{"id":"u1","roles":["support_l1"]}}' (default {})
                  --history  tools allowed earlier in the same session, comma-separated, oldest first

                Output:
                  action:   allow | deny | require_approval
                  enforced: true | false
                  reason:   <text>
                  rule:     <rule id>
                  field:    <JSON pointer or argument> | -
                  policy:   <name> <version> sha256:<hex>
                  latency:  <n> ns
                  trace:
                    <step> <rule> <outcome>: <detail>

                Exit codes: 0 a decision was made (whatever it is), 1 the bundle has errors, 2 bad usage.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("tool", "args", "ctx", "history");
    }

    @Override
    public int run(Arguments args, Console console) {
        String tool = args.required("tool");
        Map<String, Object> callArgs = Json.object("args", args.option("args", "{}"));
        Map<String, Object> ctx = Json.object("ctx", args.option("ctx", "{}"));
        List<String> history = history(args.option("history"));
        LoadResult bundle = PolicyInput.load(args.positionals());
        if (!bundle.ok()) {
            PolicyInput.printErrors(bundle, console.out());
            return ExitCode.CHECK_FAILED;
        }
        Decision decision = new CaseRunner(bundle.bundle()).explain(new ToolCall(tool, callArgs, ctx), history);
        print(decision, console.out());
        return ExitCode.OK;
    }

    private static List<String> history(String option) {
        if (option == null || option.isBlank()) {
            return List.of();
        }
        return Arrays.stream(option.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static void print(Decision d, PrintStream out) {
        out.println("action:   " + d.action().wireName());
        out.println("enforced: " + d.enforced());
        out.println("reason:   " + PolicyInput.oneLine(d.reason()));
        out.println("rule:     " + d.rule());
        out.println("field:    " + (d.field() == null ? "-" : d.field()));
        out.println("policy:   " + d.policyName() + " " + d.policyVersion() + " sha256:" + d.policySha256());
        out.println("latency:  " + d.latencyNanos() + " ns");
        if (d.approval() != null) {
            out.println("approval: mode " + d.approval().mode().name().toLowerCase(java.util.Locale.ROOT)
                    + ", timeout " + d.approval().timeout() + ", on timeout " + d.approval().onTimeout().wireName());
        }
        out.println("trace:");
        List<TraceStep> trace = d.trace() == null ? List.of() : d.trace();
        for (TraceStep step : trace) {
            out.println("  " + step.step() + " " + (step.rule() == null ? "-" : step.rule()) + " " + step.outcome()
                    + (step.detail() == null || step.detail().isEmpty() ? "" : ": " + PolicyInput.oneLine(step.detail())));
        }
    }
}
