package dev.toolguard.policy.values;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is hidden or shortened when a value leaves the engine (SPEC §13.10): audit records, decision reasons and
 * messages, approval records, webhook payloads, admin responses and diagnostics.
 *
 * <p>A map key is redacted when its words contain a secret word (see {@link #redacts(String)}) or a configured
 * key; a string value is redacted where it matches a configured value pattern. A message that embeds a
 * redacted value shows {@link JsonWriter#REDACTED} in its place (see {@link #secretsOf} and {@link CallSecrets}).
 * Immutable and thread-safe.
 */
public final class Redaction {

    /** The key list of SPEC §2's example config, which is also the default of {@code audit.redact}. */
    public static final List<String> DEFAULT_KEYS =
            List.of("password", "token", "secret", "api_key", "apikey", "authorization", "credential");

    /**
     * Words that make a key secret. A plural ({@code passwords}, {@code secrets}, {@code cookies}) is a secret
     * too, except {@code tokens}: in tool arguments it counts model tokens ({@code max_tokens}).
     */
    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "passphrase", "secret", "token",
            "credential", "cookie", "authorization", "apikey", "privatekey", "accesskey");
    /** Words that make a following {@code tokens} credentials again ({@code access_tokens}, {@code refreshTokens}). */
    private static final Set<String> TOKEN_KINDS = Set.of("access", "refresh", "auth", "bearer", "session", "id",
            "api", "oauth", "csrf", "jwt");
    /** First words of the secret pairs {@code api key}, {@code private key}, {@code access key}. */
    private static final Set<String> PAIR_FIRST_WORDS = Set.of("api", "private", "access");

    public static final Redaction DEFAULT = of(DEFAULT_KEYS, 2048);

    /** Nothing redacted, nothing cut: for canonical forms that must keep every byte. */
    public static final Redaction NONE = new Redaction(false, List.of(), List.of(), Integer.MAX_VALUE, 64,
            Integer.MAX_VALUE);

    /** Deeper than the engine decides (100) and any writer writes: nothing deeper is shown anywhere. */
    private static final int MAX_WALK_DEPTH = 128;

    private final boolean secretWords;
    /** Each configured key as its words, matched as a run of consecutive words of a key. */
    private final List<List<String>> configuredKeys;
    private final List<Pattern> valuePatterns;
    private final int maxValueChars;
    private final int maxDepth;
    private final int maxEntries;
    /** Keys already judged: calls repeat the same parameter and context names, and splitting costs more. */
    private final Map<String, Boolean> judged = new ConcurrentHashMap<>();

    private Redaction(boolean secretWords, Collection<String> keys, List<Pattern> valuePatterns, int maxValueChars,
                      int maxDepth, int maxEntries) {
        if (maxValueChars < 1 || maxDepth < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("redaction limits must be positive");
        }
        this.secretWords = secretWords;
        List<List<String>> configured = new ArrayList<>();
        for (String key : keys) {
            List<String> words = words(key);
            if (!words.isEmpty()) {
                configured.add(words);
            }
        }
        this.configuredKeys = List.copyOf(configured);
        this.valuePatterns = List.copyOf(valuePatterns);
        this.maxValueChars = maxValueChars;
        this.maxDepth = maxDepth;
        this.maxEntries = maxEntries;
    }

    /** The secret words and {@code keys}, no value patterns. */
    public static Redaction of(Collection<String> keys, int maxValueChars) {
        return new Redaction(true, keys, List.of(), maxValueChars, 32, 1000);
    }

    /**
     * The secret words, {@code keys} and {@code valuePatterns} (RE2 syntax, found anywhere in a string).
     *
     * @throws IllegalArgumentException naming the pattern when one is not a valid regular expression
     */
    public static Redaction of(Collection<String> keys, Collection<String> valuePatterns, int maxValueChars) {
        return new Redaction(true, keys, compile(valuePatterns), maxValueChars, 32, 1000);
    }

    /** Why {@code pattern} is not a valid value pattern, or null when it is. */
    public static String patternProblem(String pattern) {
        try {
            Pattern p = Pattern.compile(pattern);
            // a pattern that matches the empty string would put a marker between every two characters
            return p.matcher("").find() ? "matches the empty string" : null;
        } catch (PatternSyntaxException e) {
            return e.getMessage();
        }
    }

    private static List<Pattern> compile(Collection<String> patterns) {
        List<Pattern> compiled = new ArrayList<>();
        for (String p : patterns) {
            String problem = patternProblem(p);
            if (problem != null) {
                throw new IllegalArgumentException("redact_values pattern '" + p + "' is not usable: " + problem);
            }
            compiled.add(Pattern.compile(p));
        }
        return compiled;
    }

    public int maxValueChars() {
        return maxValueChars;
    }

    public int maxDepth() {
        return maxDepth;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** True when string values are searched for patterns; false lets writers skip the search. */
    public boolean hasValuePatterns() {
        return !valuePatterns.isEmpty();
    }

    /**
     * Whether the value under {@code key} is hidden. The key is split into words at {@code -}, {@code _},
     * {@code .}, spaces, lower-to-upper case changes ({@code accessToken}), the end of a capitalised run
     * ({@code APIKey}) and letter-digit changes, then compared case-insensitively: it is redacted when a word
     * is a secret word (or its plural; {@code tokens} only after a kind of credential such as {@code access} or
     * {@code refresh}, since alone it counts model tokens), when two neighbouring words are {@code api},
     * {@code private} or {@code access} followed by {@code key(s)}, or when its words contain a configured key's
     * words in a row.
     */
    public boolean redacts(String key) {
        if (key == null || (!secretWords && configuredKeys.isEmpty())) {
            return false;
        }
        Boolean known = judged.get(key);
        if (known != null) {
            return known;
        }
        boolean redacted = judge(words(key));
        if (judged.size() < 4096) {
            judged.put(key, redacted);
        }
        return redacted;
    }

    private boolean judge(List<String> words) {
        if (secretWords && hasSecretWord(words)) {
            return true;
        }
        for (List<String> configured : configuredKeys) {
            if (containsRun(words, configured)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSecretWord(List<String> words) {
        for (int i = 0, n = words.size(); i < n; i++) {
            String w = words.get(i);
            if (SECRET_WORDS.contains(w) || (w.endsWith("s") && !w.equals("tokens")
                    && SECRET_WORDS.contains(w.substring(0, w.length() - 1)))) {
                return true;
            }
            if (w.equals("tokens") && i > 0 && TOKEN_KINDS.contains(words.get(i - 1))) {
                return true;
            }
            if (i + 1 < n && PAIR_FIRST_WORDS.contains(w) && (words.get(i + 1).equals("key")
                    || words.get(i + 1).equals("keys"))) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case words of a key, as {@link #redacts} splits them. */
    static List<String> words(String key) {
        List<String> words = new ArrayList<>(4);
        int n = key.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            boolean boundary;
            boolean separator;
            if (i == n) {
                boundary = true;
                separator = true;
            } else {
                char c = key.charAt(i);
                separator = c == '-' || c == '_' || c == '.' || Character.isWhitespace(c);
                boundary = separator || (i > start && startsWord(key, i));
            }
            if (boundary) {
                if (i > start) {
                    words.add(key.substring(start, i).toLowerCase(Locale.ROOT));
                }
                start = separator ? i + 1 : i;
            }
        }
        return words;
    }

    /** Whether a new word starts at {@code i} (the char before it is part of the current word). */
    private static boolean startsWord(String key, int i) {
        char prev = key.charAt(i - 1);
        char c = key.charAt(i);
        if (Character.isDigit(prev) != Character.isDigit(c)) {
            return true;
        }
        if (Character.isUpperCase(c)) {
            // accessToken | APIKey: the K starts a word because a lower-case letter follows it
            return Character.isLowerCase(prev)
                    || (Character.isUpperCase(prev) && i + 1 < key.length() && Character.isLowerCase(key.charAt(i + 1)));
        }
        return false;
    }

    /** {@code s} with every match of a value pattern replaced by the marker; {@code s} itself when none matches. */
    public String redactValue(String s) {
        if (s == null || valuePatterns.isEmpty()) {
            return s;
        }
        String out = s;
        for (Pattern p : valuePatterns) {
            Matcher m = p.matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement(JsonWriter.REDACTED));
            }
        }
        return out;
    }

    /**
     * The values a message about this call must not show: every string and number under a redacted key of
     * {@code args} or {@code ctx}, at any depth.
     */
    public CallSecrets secretsOf(Map<String, ?> args, Map<String, ?> ctx) {
        if (!secretWords && configuredKeys.isEmpty() && valuePatterns.isEmpty()) {
            return CallSecrets.NONE;
        }
        SecretWalk walk = WALKS.get();
        if (walk.busy) {
            walk = new SecretWalk(); // a walk inside a walk (a value's own code calling back): one of its own
        }
        walk.busy = true;
        boolean whole = false;
        CallSecrets secrets = CallSecrets.NONE;
        try {
            walk.collect(this, args, false, 0);
            walk.collect(this, ctx, false, 0);
            List<String> found = walk.found == null ? List.of() : walk.found;
            secrets = found.isEmpty() && valuePatterns.isEmpty() ? CallSecrets.NONE : new CallSecrets(this, found);
            whole = true;
            return secrets;
        } finally {
            walk.reset();
            // only a whole walk is an answer to give again; a failed one forgets the last
            if (whole) {
                walk.remember(this, args, ctx, secrets);
            } else {
                walk.remember(null, null, null, null);
            }
        }
    }

    /**
     * As {@link #secretsOf}, for the audit record of a decision: the answer of this thread's last walk when that
     * walk was over the very same {@code args} and {@code ctx} objects, under the same rules ({@link #sameRules}),
     * and nothing walked on this thread since; otherwise a walk of its own. The engine walks a call's values to hide
     * them in its reasons (PolicyEngine#hidingSecrets) just before the record is written on the same thread, and a
     * second walk of the same objects under the same rules finds the same values: it was a third of what writing
     * the record cost (docs/performance.md). The same objects are the same values because a call's args and ctx are
     * ToolGuard's own plain copies (PlainValues, ContextTree), which no application code holds and nothing changes
     * after they are built. A remembered walk is used at most once.
     */
    public CallSecrets secretsOfDecided(Map<String, ?> args, Map<String, ?> ctx) {
        SecretWalk walk = WALKS.get();
        Redaction by = walk.lastBy;
        if (!walk.busy && by != null && walk.lastArgs == args && walk.lastCtx == ctx && sameRules(by)) {
            CallSecrets secrets = walk.lastSecrets;
            walk.remember(null, null, null, null);
            return secrets;
        }
        return secretsOf(args, ctx);
    }

    /**
     * Whether {@code other} hides exactly what this one hides: the same secret words, configured keys, value
     * patterns and limits. Instances differ where they are built from one configuration more than once (the engine
     * of each policy load, the audit log).
     */
    public boolean sameRules(Redaction other) {
        if (other == this || other == knownSame) {
            return true;
        }
        boolean same = other != null && secretWords == other.secretWords && maxValueChars == other.maxValueChars
                && maxDepth == other.maxDepth && maxEntries == other.maxEntries
                && configuredKeys.equals(other.configuredKeys) && samePatterns(valuePatterns, other.valuePatterns);
        if (same) {
            knownSame = other; // an engine is used for many calls: its rules are compared once
        }
        return same;
    }

    /** The last instance found to have the same rules (racy by design: a stale answer only costs a comparison). */
    private Redaction knownSame;

    private static boolean samePatterns(List<Pattern> a, List<Pattern> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).pattern().equals(b.get(i).pattern()) || a.get(i).flags() != b.get(i).flags()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Each thread's walk, used again by its next call: its path array is half a kilobyte, and a walk per call was
     * most of what a guarded call allocated. One per thread for every instance (a walk holds no rules), so that the
     * log's record finds the engine's walk ({@link #secretsOfDecided}).
     */
    private static final ThreadLocal<SecretWalk> WALKS = ThreadLocal.withInitial(SecretWalk::new);

    /**
     * One walk over a call's values, bounded like the writers' (depth, node count, cycles). It is its own map
     * visitor, so that walking a map allocates no capturing lambda: the key's secrecy and the depth of the entries
     * are fields, saved and restored around each map.
     */
    private static final class SecretWalk implements java.util.function.BiConsumer<Object, Object> {
        private static final int MAX_NODES = 100_000;
        /** The secret values met; null until the first (most calls have none). */
        List<String> found;
        boolean busy;
        private final Object[] path = new Object[MAX_WALK_DEPTH + 1];
        private int nodesLeft = MAX_NODES;
        private boolean entriesSecret;
        private int entriesDepth;
        /** The rules of the walk being made. */
        private Redaction rules;
        /** The last whole walk on this thread, for {@link #secretsOfDecided}: its rules (null: none), values, answer. */
        Redaction lastBy;
        Object lastArgs;
        Object lastCtx;
        CallSecrets lastSecrets;

        void remember(Redaction by, Object args, Object ctx, CallSecrets secrets) {
            lastBy = by;
            lastArgs = args;
            lastCtx = ctx;
            lastSecrets = secrets;
        }

        void reset() {
            rules = null;
            found = null;
            nodesLeft = MAX_NODES;
            busy = false;
            entriesDepth = 0;
            entriesSecret = false;
        }

        void collect(Redaction rules, Object value, boolean secret, int depth) {
            this.rules = rules;
            collect(value, secret, depth);
        }

        void collect(Object value, boolean secret, int depth) {
            if (value == null || depth > MAX_WALK_DEPTH || --nodesLeft < 0) {
                return;
            }
            if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof Object[]) {
                for (int i = 0; i < depth; i++) {
                    if (path[i] == value) {
                        return; // a cycle: its values were met on the way here
                    }
                }
                path[depth] = value;
                try {
                    if (value instanceof Map<?, ?> map) {
                        boolean outerSecret = entriesSecret;
                        int outerDepth = entriesDepth;
                        entriesSecret = secret;
                        entriesDepth = depth + 1;
                        try {
                            map.forEach(this);
                        } finally {
                            entriesSecret = outerSecret;
                            entriesDepth = outerDepth;
                        }
                    } else if (value instanceof Object[] array) {
                        for (Object item : array) {
                            collect(item, secret, depth + 1);
                        }
                    } else {
                        for (Object item : (Collection<?>) value) {
                            collect(item, secret, depth + 1);
                        }
                    }
                } finally {
                    path[depth] = null;
                }
            } else if (secret && (value instanceof CharSequence || value instanceof Number
                    || value instanceof Character)) {
                String text = value.toString();
                if (!text.isEmpty()) {
                    if (found == null) {
                        found = new ArrayList<>(2);
                    }
                    found.add(text);
                }
            }
        }

        /** One entry of the map being walked. */
        @Override
        public void accept(Object key, Object value) {
            boolean secret = entriesSecret;
            int depth = entriesDepth;
            collect(value, secret || rules.redacts(String.valueOf(key)), depth);
        }
    }

    private static boolean containsRun(List<String> words, List<String> run) {
        for (int i = 0; i + run.size() <= words.size(); i++) {
            if (words.subList(i, i + run.size()).equals(run)) {
                return true;
            }
        }
        return false;
    }
}
