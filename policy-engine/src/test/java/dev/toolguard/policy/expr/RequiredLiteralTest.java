package dev.toolguard.policy.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredLiteralTest {

    private static String literalOf(String regex) {
        RequiredLiteral r = RequiredLiteral.of(regex);
        return r == null ? null : r.literal();
    }

    @Test
    void findsTheLongestTopLevelLiteral() {
        assertThat(literalOf("(?i)ignore (all|previous) instructions")).isEqualTo(" instructions");
        assertThat(literalOf("^acc-[0-9]+$")).isEqualTo("acc-");
        assertThat(literalOf("DROP\\s+TABLE")).isEqualTo("TABLE");
        assertThat(literalOf("a\\.b\\.c")).isEqualTo("a.b.c");
        assertThat(literalOf("(?i)Secret")).isEqualTo("secret");
    }

    @Test
    void aQuantifiedCharacterIsNotRequired() {
        assertThat(literalOf("abc*")).isEqualTo("ab");
        assertThat(literalOf("abcd?e")).isEqualTo("abc");
        assertThat(literalOf("ab{2,3}")).isEqualTo("a");
        assertThat(literalOf("x*")).isNull();
    }

    @Test
    void claimsNothingItCannotProve() {
        assertThat(literalOf("abc|def")).isNull();
        assertThat(literalOf("ab(?i)cd")).isNull();
        assertThat(literalOf("\\pLabc")).isNull();
        assertThat(literalOf("\\Qabc\\E")).isNull();
        assertThat(literalOf("(?i-s)abc")).isNull();
        assertThat(literalOf("[abc]")).isNull();
        assertThat(literalOf("é")).isNull();
    }

    @Test
    void caseInsensitiveLiteralsLeaveNonAsciiInputToTheMatcher() {
        // KELVIN SIGN folds to k in RE2: the prefilter must not say no
        RequiredLiteral r = RequiredLiteral.of("(?i)kill");
        assertThat(r.mayMatch("\u212Aill")).isTrue();
        assertThat(Pattern.compile("(?i)kill").matcher("\u212Aill").find()).isTrue();
        assertThat(r.mayMatch("KILL it")).isTrue();
        assertThat(r.mayMatch("keep it")).isFalse();
    }

    /** Whatever the pattern and input, the prefilter never says no where the matcher finds a match. */
    @Test
    void neverRejectsAnInputThatMatches() {
        Random random = new Random(42);
        String[] atoms = {"a", "b", "A", "B", "ab", ".", "\\.", "\\d", "\\s", "[ab]", "[^a]", "(a|b)", "(?:ab)", "(?i:a)",
            "*", "+", "?", "{2}", "{1,}", "{0,2}", "|", "^", "$", " ", "-", "\u212A", "k", "K", "\u00e9", "(?i)", "\\b"};
        String[] inputs = {"", "a", "b", "ab", "AB", "aab", "a.b", "a b", "1", "ba", "abab", "Ab", "aB", "\u212A", "k",
            "K", "\u00e9", "a-b", "bb", "aaa", "abba", "a1b", " ab ", "A.B", "xyz"};
        int checked = 0;
        for (int n = 0; n < 20_000; n++) {
            StringBuilder p = new StringBuilder(random.nextBoolean() ? "(?i)" : "");
            int len = 1 + random.nextInt(6);
            for (int k = 0; k < len; k++) {
                p.append(atoms[random.nextInt(atoms.length)]);
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(p.toString());
            } catch (PatternSyntaxException e) {
                continue;
            }
            RequiredLiteral r = RequiredLiteral.of(p.toString());
            if (r == null) {
                continue;
            }
            List<String> tried = new ArrayList<>(List.of(inputs));
            for (int k = 0; k < 5; k++) {
                StringBuilder s = new StringBuilder();
                int sl = random.nextInt(6);
                for (int j = 0; j < sl; j++) {
                    s.append(inputs[random.nextInt(inputs.length)]);
                }
                tried.add(s.toString());
            }
            for (String input : tried) {
                if (pattern.matcher(input).find()) {
                    assertThat(r.mayMatch(input)).as("pattern %s, input '%s'", p, input).isTrue();
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10_000);
    }
}
