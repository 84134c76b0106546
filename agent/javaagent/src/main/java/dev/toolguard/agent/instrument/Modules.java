package dev.toolguard.agent.instrument;

import dev.toolguard.agent.instrument.adk.AdkModule;
import dev.toolguard.agent.instrument.embabel.EmbabelModule;
import dev.toolguard.agent.instrument.guardedtool.GuardedToolModule;
import dev.toolguard.agent.instrument.langchain4j.LangChain4jModule;
import dev.toolguard.agent.instrument.quarkus.QuarkusLangChain4jModule;
import dev.toolguard.agent.instrument.mcp.McpModule;
import dev.toolguard.agent.instrument.semantickernel.SemanticKernelModule;
import dev.toolguard.agent.instrument.springai.SpringAiModule;
import dev.toolguard.instrumentation.rule.ParameterNaming;
import dev.toolguard.instrumentation.rule.ToolRule;

import java.util.ArrayList;
import java.util.List;

/**
 * Every module the agent ships, in the order their annotation rules are tried; the config's
 * {@code instrumentation.builtin} picks among them by name. A new framework is one line here.
 */
public final class Modules {

    public static final List<InstrumentationModule> ALL = List.of(
            new GuardedToolModule(), new LangChain4jModule(), new SpringAiModule(), new McpModule(),
            new SemanticKernelModule(), new QuarkusLangChain4jModule(), new AdkModule(),
            new dev.toolguard.agent.instrument.koog.KoogModule(),
            new EmbabelModule());

    /**
     * The egress sensors (SPEC §18), always installed: they decide nothing until a policy has {@code egress} rules or
     * defaults, and a sensor cheaply lets egress outside guarded calls pass while {@code egress.outside_tools} is
     * {@code allow}.
     */
    public static final List<InstrumentationModule> SENSORS = List.of(
            new dev.toolguard.agent.instrument.jdbc.JdbcModule(),
            new dev.toolguard.agent.instrument.jdkhttp.JdkHttpClientModule(),
            new dev.toolguard.agent.instrument.urlconnection.UrlConnectionModule(),
            new dev.toolguard.agent.instrument.apachehttp.ApacheHttpClient5Module(),
            new dev.toolguard.agent.instrument.okhttp.OkHttpModule(),
            dev.toolguard.agent.instrument.mail.MailModule.javax(),
            dev.toolguard.agent.instrument.mail.MailModule.jakarta(),
            new dev.toolguard.agent.instrument.exec.ProcessModule());

    /** The names of every module, which are the built-in rule sets. */
    public static final List<String> NAMES = ALL.stream().map(InstrumentationModule::name).toList();

    private Modules() {
    }

    /** The modules named, in their shipped order; unknown names are the config reader's to report. */
    public static List<InstrumentationModule> named(List<String> names) {
        return ALL.stream().filter(m -> names.contains(m.name())).toList();
    }

    /** The tool annotation rules of the modules. */
    public static List<ToolRule> annotationRules(List<InstrumentationModule> modules) {
        List<ToolRule> out = new ArrayList<>();
        for (InstrumentationModule m : modules) {
            out.addAll(m.toolAnnotations());
        }
        return out;
    }

    /** How the modules' frameworks name parameters; every module counts, enabled or not: naming is no guard. */
    public static ParameterNaming parameterNaming() {
        List<String> names = new ArrayList<>();
        List<String> plumbingTypes = new ArrayList<>();
        List<String> plumbingAnnotations = new ArrayList<>();
        for (InstrumentationModule m : ALL) {
            names.addAll(m.parameterNameAnnotations());
            plumbingTypes.addAll(m.plumbingTypes());
            plumbingAnnotations.addAll(m.plumbingAnnotations());
        }
        return new ParameterNaming(names, plumbingTypes, plumbingAnnotations);
    }
}
