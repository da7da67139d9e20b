package dev.quire.cli.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class TimeConverterTest {
    private final TimeConverter paris = new TimeConverter(ZoneId.of("Europe/Paris"));

    @Test
    void readsAnInstantInUtc() {
        assertThat(paris.convert("2026-11-26T10:00:00Z")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(paris.convert("2026-11-26T10:00:00.250Z")).isEqualTo(Instant.parse("2026-11-26T10:00:00.250Z"));
    }

    @Test
    void readsADateTimeWithAnOffset() {
        assertThat(paris.convert("2026-11-26T11:00:00+01:00")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void readsLocalDateTimesAndDatesInTheGivenZone() {
        assertThat(paris.convert("2026-11-26T11:00")).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(paris.convert("2026-07-01")).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
    }

    @Test
    void rejectsAnythingElseSayingWhatItTakes() {
        assertThatThrownBy(() -> paris.convert("yesterday"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'yesterday' is not a time")
                .hasMessageContaining("2026-11-26T10:00:00Z");
    }
}
