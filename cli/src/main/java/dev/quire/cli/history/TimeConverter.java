package dev.quire.cli.history;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the TIME of {@code --at}: an ISO-8601 instant ({@code 2026-11-26T10:00:00Z}), a date-time with an
 * offset ({@code 2026-11-26T11:00:00+01:00}), or a local date-time ({@code 2026-11-26T10:00}) or date
 * ({@code 2026-11-26}, its first instant) in the time zone of this machine.
 */
final class TimeConverter implements ITypeConverter<Instant> {
    static final String HELP = "an ISO-8601 instant (2026-11-26T10:00:00Z), a date-time with offset "
            + "(2026-11-26T11:00:00+01:00), or a local date-time or date (2026-11-26T10:00, 2026-11-26) in this machine's time zone";

    private final ZoneId zone;

    TimeConverter() {
        this(ZoneId.systemDefault());
    }

    // visible for testing
    TimeConverter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public Instant convert(String value) {
        String v = value.strip();
        try {
            return Instant.parse(v);
        } catch (DateTimeException ignored) {
            // not an instant in UTC
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeException ignored) {
            // no offset
        }
        try {
            return LocalDateTime.parse(v).atZone(zone).toInstant();
        } catch (DateTimeException ignored) {
            // not a date-time
        }
        try {
            return LocalDate.parse(v).atStartOfDay(zone).toInstant();
        } catch (DateTimeException e) {
            throw new TypeConversionException("'" + value + "' is not a time: expected " + HELP);
        }
    }
}
