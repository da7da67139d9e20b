package dev.quire.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class DocumentPatternTest {

    @Test
    void starsMatchAnyRunAndEverythingElseIsLiteral() {
        assertThat(JwtAuthenticator.matches("team-*/*/*.md", "team-a/specs/q3.md")).isTrue();
        assertThat(JwtAuthenticator.matches("team-*/*/*.md", "team-a/q3.md")).isFalse();
        assertThat(JwtAuthenticator.matches("notes", "notes")).isTrue();
        assertThat(JwtAuthenticator.matches("notes", "notes2")).isFalse();
        assertThat(JwtAuthenticator.matches("*", "")).isTrue();
        assertThat(JwtAuthenticator.matches("a*a", "a")).isFalse(); // the prefix and suffix may not overlap
        assertThat(JwtAuthenticator.matches("a*a", "aa")).isTrue();
        assertThat(JwtAuthenticator.matches("a.b", "axb")).isFalse(); // no regex meaning
        assertThat(JwtAuthenticator.matches("x*", "x\nline")).isTrue();
    }

    /** The Auth that took 14.5 s (2,000 slashes) or never ended (4,000) with the backtracking regex. */
    @Test
    void aNameOfThousandsOfSlashesIsRefusedAtOnce() {
        String name = "team-" + "/".repeat(4000);
        boolean matched = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> JwtAuthenticator.matches("team-*/*/*.md", name));
        assertThat(matched).isFalse();
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> JwtAuthenticator.matches("team-*/*/*.md", name + ".md"))).isTrue();
    }

    @Property(tries = 3000)
    void agreesWithTheRegexItReplaced(@ForAll @StringLength(max = 6) @CharRange(from = '*', to = '/') String pattern,
                                      @ForAll @StringLength(max = 10) @CharRange(from = '*', to = '/') String document) {
        String re = java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*"));
        assertThat(JwtAuthenticator.matches(pattern, document))
                .isEqualTo(Pattern.compile(re, Pattern.DOTALL).matcher(document).matches());
    }
}
