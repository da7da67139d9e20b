package dev.quire.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DocumentNamesTest {

    @Test
    void ordinaryNamesAreValid() {
        assertThat(DocumentNames.problem("notes")).isNull();
        assertThat(DocumentNames.problem("team-a/specs/q3.md")).isNull();
        assertThat(DocumentNames.problem("écrit ✍ 📄")).isNull();
        assertThat(DocumentNames.problem("x".repeat(DocumentNames.MAX_BYTES))).isNull();
    }

    @Test
    void aNameLongerThanTheLimitInBytesIsRefusedEvenWhenItHasFewerCharacters() {
        assertThat(DocumentNames.problem("x".repeat(DocumentNames.MAX_BYTES + 1))).contains("longer than 1024 bytes");
        String threeByteChars = "€".repeat(DocumentNames.MAX_BYTES / 3 + 1); // 342 chars, 1,026 bytes
        assertThat(threeByteChars.length()).isLessThan(DocumentNames.MAX_BYTES);
        assertThat(DocumentNames.problem(threeByteChars)).contains("bytes of UTF-8");
    }

    @Test
    void controlCharactersEmptyNamesAndUnpairedSurrogatesAreRefused() {
        assertThat(DocumentNames.problem("a\nb")).contains("U+000A");
        assertThat(DocumentNames.problem("a\u0000")).contains("U+0000");
        assertThat(DocumentNames.problem("a\u007f")).contains("U+007F");
        assertThat(DocumentNames.problem("a\u0085")).contains("U+0085");
        assertThat(DocumentNames.problem("")).contains("empty");
        assertThat(DocumentNames.problem("   ")).contains("empty");
        assertThat(DocumentNames.problem(null)).contains("empty");
        assertThat(DocumentNames.problem("a\ud800b")).contains("surrogate");
        assertThat(DocumentNames.problem("a\udc00")).contains("surrogate");
        assertThat(DocumentNames.problem("\ud83d\udcc4")).isNull();
    }

    @Test
    void forLogEscapesLineBreaksAndCutsLongNames() {
        assertThat(DocumentNames.forLog("doc\n2026-12-04 INFO forged")).isEqualTo("doc\\u000a2026-12-04 INFO forged");
        assertThat(DocumentNames.forLog("a\\b")).isEqualTo("a\\\\b");
        assertThat(DocumentNames.forLog("plain")).isEqualTo("plain");
        assertThat(DocumentNames.forLog("y".repeat(3000))).startsWith("y".repeat(200) + "...(3000 chars)");
    }
}
