package dev.toolguard.bench;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.toolguard.policy.expr.Expression;
import dev.toolguard.policy.expr.ExpressionCompiler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CEL: the conditions of the benchmark policy evaluated by Google's CEL ({@code dev.cel}) and by our
 * evaluator, on the same inputs. Both sides compile once in setup; only evaluation is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Thread)
public class ExpressionBenchmark {

    /** The conditions of benchmarks/config/policy.yaml, plus two common shapes. */
    static final String[] CONDITIONS = {
        "has(ctx.user.suspended) && ctx.user.suspended",
        "args.reason.matches(\"(?i)ignore (all|previous) instructions\")",
        "\"support_l2\" in ctx.user.roles && args.amount <= 2000",
        "\"support_l1\" in ctx.user.roles && args.amount <= 200",
        "args.amount > 2000",
        "ctx.user.roles.exists(r, r.startsWith(\"support\")) && ctx.tenant == \"acme\"",
    };

    @Param({"0", "1", "2", "3", "4", "5"})
    public int condition;

    Map<String, Object> args;
    Map<String, Object> ctx;
    Map<String, Object> celInput;
    Expression ours;
    CelRuntime.Program cel;

    @Setup(Level.Trial)
    public void compile() throws Exception {
        args = new LinkedHashMap<>();
        args.put("customer_id", "c-1");
        args.put("amount", 150.0);
        args.put("reason", "damaged in transit");
        ctx = Contexts.supportL1Tree();
        celInput = Map.of("args", args, "ctx", ctx, "tool", "issue_refund");

        String source = CONDITIONS[condition];
        ExpressionCompiler.Compilation compiled = ExpressionCompiler.compile(source);
        if (!compiled.ok()) {
            throw new IllegalStateException(source + ": " + compiled.problems());
        }
        ours = compiled.expression();

        // The same environment as the differential test's oracle: SPEC §4's numeric comparison and lowerAscii.
        CelOptions options = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
        CelStringExtensions strings = CelExtensions.strings(CelStringExtensions.Function.LOWER_ASCII);
        Cel celEnv = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(strings)
                .addRuntimeLibraries(strings)
                .addVar("args", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar("ctx", MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar("tool", SimpleType.STRING)
                .build();
        CelAbstractSyntaxTree ast = celEnv.compile(source).getAst();
        cel = celEnv.createProgram(ast);

        Object a = ours.evaluate(args, ctx, "issue_refund");
        Object b = cel.eval(celInput);
        if (!a.equals(b)) {
            throw new IllegalStateException(source + ": ours " + a + " but CEL " + b);
        }
    }

    @Benchmark
    public Object ours() {
        return ours.evaluate(args, ctx, "issue_refund");
    }

    @Benchmark
    public Object cel() throws Exception {
        return cel.eval(celInput);
    }
}
