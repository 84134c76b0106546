package dev.toolguard.agent.instrument.mail;

import dev.toolguard.agent.instrument.EgressFuse;
import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The mail egress sensor (SPEC §18) for one of the two mail APIs, {@code javax.mail} or {@code jakarta.mail}: the
 * static {@code Transport.send} methods, checked (every To, Cc and Bcc address, or the addresses given) before the
 * message is handed to a transport, and every transport's {@code sendMessage(Message, Address[])} (a tool may hold a
 * transport of its own), checked before the provider sends a byte. The {@code sendMessage} that {@code send} itself
 * makes for a message it let through is not checked twice (one decision, one record).
 *
 * <p>Where it does not fit, its fuse goes (beside {@code Transport}'s constructors, which every transport runs) on
 * {@code Session.getTransport(...)}: there the refusal reaches the tool as it is, where a transport's constructor is
 * called by reflection and what it throws becomes a {@code NoSuchProviderException} naming only the protocol.
 */
public final class MailModule extends InstrumentationModule {

    private final String name;
    private final String packageName;
    private final String versions;

    private MailModule(String name, String packageName, String versions) {
        this.name = name;
        this.packageName = packageName;
        this.versions = versions;
    }

    public static MailModule javax() {
        return new MailModule("javax-mail", "javax.mail", "javax.mail 1.4 to 1.6");
    }

    public static MailModule jakarta() {
        return new MailModule("jakarta-mail", "jakarta.mail", "jakarta.mail 2.0 to 2.1");
    }

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.MAIL;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String markerClass() {
        return packageName + ".Transport";
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return versions;
    }

    @Override
    public List<EgressFuse.At> egressFuses() {
        return List.of(new EgressFuse.At(packageName + ".Session", named("getTransport"), "Session#getTransport(...)"));
    }

    @Override
    public List<Hook> hooks() {
        return List.of(Hook.of(Hook.Role.SENSES_EGRESS, packageName + ".Transport", named("send").and(isStatic()),
                        "send(Message, ...)", advice("SendAdvice")),
                // what the static send calls, and what a tool holding a transport (session.getTransport) calls itself:
                // the providers' implementations of the abstract method (SMTPTransport's and any other), however named
                Hook.onImplementations(packageName + ".Transport", named("sendMessage").and(takesArguments(2)),
                        "sendMessage(Message, Address[])", advice("SendMessageAdvice")));
    }
}
