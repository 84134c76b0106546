package dev.toolguard.policy.values;

import java.util.Comparator;
import java.util.List;

/**
 * The redacted values of one call, for hiding them in texts about the call: reasons, error and trace messages,
 * diagnostics. Built by {@link Redaction#secretsOf}.
 */
public final class CallSecrets {

    /** A call with nothing to hide and no value patterns to apply. */
    public static final CallSecrets NONE = new CallSecrets(null, List.of());

    /**
     * A secret longer than this is also hidden where only its start appears: messages shorten long values
     * ({@code 'abc...'}), and the start of a secret is as good as the secret for guessing it.
     */
    static final int SHOWN_PREFIX = 12;

    private final Redaction redaction;
    private final List<String> values;

    CallSecrets(Redaction redaction, List<String> values) {
        this.redaction = redaction;
        // longest first, so that a secret containing another is hidden whole
        this.values = values.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** True when {@link #hide} returns every text as it is. */
    public boolean none() {
        return values.isEmpty() && (redaction == null || !redaction.hasValuePatterns());
    }

    /**
     * {@code text} with every redacted value in it, whole or its first {@value #SHOWN_PREFIX} chars and
     * onwards, and every match of a value pattern, replaced by {@code [REDACTED]}; {@code text} itself when
     * nothing is hidden.
     */
    public String hide(String text) {
        if (text == null || none()) {
            return text;
        }
        String out = text;
        for (String secret : values) {
            out = hideOne(out, secret);
        }
        return redaction == null ? out : redaction.redactValue(out);
    }

    private static String hideOne(String text, String secret) {
        String probe = secret.length() > SHOWN_PREFIX ? secret.substring(0, SHOWN_PREFIX) : secret;
        int at = text.indexOf(probe);
        if (at < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (at >= 0) {
            // the shown part runs as far as the text keeps matching the secret
            int end = at + probe.length();
            int s = probe.length();
            while (end < text.length() && s < secret.length() && text.charAt(end) == secret.charAt(s)) {
                end++;
                s++;
            }
            out.append(text, from, at).append(JsonWriter.REDACTED);
            from = end;
            at = text.indexOf(probe, from);
        }
        return out.append(text, from, text.length()).toString();
    }
}
