package dev.toolguard.agent.instrument;

import dev.toolguard.agent.context.ContextSourceFactory;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;

import java.util.List;

/**
 * Everything ToolGuard knows about one framework, in one place (DESIGN "One module per framework"): how to tell it
 * is present, which version it is, its tool annotations, how it names parameters, its context source, and the hooks
 * that guard its calls, carry its context, report its denials and filter its tool lists.
 *
 * <p>Before a module's hooks apply in a class loader, the module is checked there against the shape it was built for
 * ({@link dev.toolguard.agent.instrument.check.ModuleChecks}). Adding a framework is one folder with one subclass of
 * this, and one line in {@link Modules}.
 */
public abstract class InstrumentationModule {

    /** The module's name, which is also its built-in rule set's name in {@code instrumentation.builtin}. */
    public abstract String name();

    /**
     * A class whose class file is in a class loader exactly when the framework's call path is there: looked up as a
     * resource, never loaded. Null for a module that is always present (ToolGuard's own annotation).
     */
    public abstract String markerClass();

    /** {@code groupId:artifactId} of the jar whose {@code pom.properties} gives the version found, or null. */
    public abstract String versionArtifact();

    /** The versions this module was built and tested for, as the docs state them (e.g. {@code 1.0 to 1.19}). */
    public abstract String supportedVersions();

    /** The annotations that make a method a tool of this framework, as rules of this module's rule set. */
    public List<AnnotatedToolRule> toolAnnotations() {
        return List.of();
    }

    /** Parameter annotations whose {@code name} attribute names an argument ({@code @P}, {@code @ToolParam}). */
    public List<String> parameterNameAnnotations() {
        return List.of();
    }

    /** Parameter types the framework fills in itself, left out of {@code args} (a {@code ToolContext}). */
    public List<String> plumbingTypes() {
        return List.of();
    }

    /** Parameter annotations marking such plumbing (a memory id). */
    public List<String> plumbingAnnotations() {
        return List.of();
    }

    /** The context sources this framework brings, by the name the config's {@code context} list uses. */
    public List<ContextSourceFactory> contextSources() {
        return List.of();
    }

    /**
     * The kind of egress an egress sensor sees (SPEC §18), or null for a framework module. Where a sensor does not fit,
     * calls of tools whose policy restricts that kind are denied: their egress could not be checked.
     */
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return null;
    }

    /** The hooks of this module, each on one type. */
    public List<Hook> hooks() {
        return List.of();
    }

    /**
     * Where an egress sensor's fuse goes in a class loader it does not fit, besides the constructors of the types it
     * hooks ({@link EgressFuse}): places each request of the library passes on the thread that makes it, in every
     * version, so a call whose library objects were made outside it still cannot send unchecked. None by default.
     */
    public List<EgressFuse.At> egressFuses() {
        return List.of();
    }

    /** The fully qualified name of an advice class of this module, given by its simple name. */
    protected final String advice(String simpleName) {
        return getClass().getPackageName() + "." + simpleName;
    }

    @Override
    public String toString() {
        return name();
    }
}
