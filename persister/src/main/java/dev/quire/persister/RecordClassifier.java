package dev.quire.persister;

import dev.quire.core.DocumentNames;
import dev.quire.core.kafka.UpdateRecords;
import dev.quire.persister.postgres.PostgresProjection.HistoryRow;
import dev.quire.persister.postgres.PostgresProjection.QuarantinedRow;
import dev.quire.yjs.MalformedUpdateException;
import dev.quire.yjs.Updates;
import dev.quire.yjs.codec.UpdateFormat;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Decides whether a record of the updates topic enters the history or is quarantined, and why. */
final class RecordClassifier {
    /** Why a record is quarantined (stored as the reason code). */
    enum Reason {
        MISSING_KEY,
        /** Not valid UTF-8, or not a valid document name ({@link DocumentNames#problem}). */
        INVALID_KEY,
        MISSING_VALUE, MALFORMED_UPDATE,
        /** Decodes, but cannot be applied to its document (found when a snapshot is computed; moved out of the history). */
        INAPPLICABLE_UPDATE,
        /** PostgreSQL refused its row with a data error when it was written alone (the SQLSTATE is in the detail). */
        UNSTORABLE
    }

    private RecordClassifier() {
    }

    /** Either a history row or a quarantined row. */
    record Result(HistoryRow row, QuarantinedRow quarantined) {
    }

    static Result classify(ConsumerRecord<byte[], byte[]> r) {
        Instant ts = r.timestamp() >= 0 ? Instant.ofEpochMilli(r.timestamp()) : null;
        if (r.key() == null) {
            return quarantine(r, null, Reason.MISSING_KEY, "the record has no key (the document name)", ts);
        }
        String document = UpdateRecords.documentOf(r.key());
        if (document == null) {
            return quarantine(r, null, Reason.INVALID_KEY, "the key is not valid UTF-8", ts);
        }
        String problem = DocumentNames.problem(document);
        if (problem != null) {
            // the same rule the fronts apply: a name they refuse must not reach an indexed column (over about 2,700
            // bytes PostgreSQL refuses the row, U+0000 it cannot hold at all); the raw key stays in key_bytes
            return quarantine(r, null, Reason.INVALID_KEY, problem + " (the key has " + r.key().length + " bytes)", ts);
        }
        if (r.value() == null) {
            return quarantine(r, document, Reason.MISSING_VALUE, "the record has no value (a tombstone?)", ts);
        }
        try {
            Updates.validate(r.value(), UpdateFormat.V1);
        } catch (MalformedUpdateException e) {
            return quarantine(r, document, Reason.MALFORMED_UPDATE, "not a valid Yjs v1 update: " + e.getMessage(), ts);
        }
        String origin = textOrNull(UpdateRecords.header(r.headers(), UpdateRecords.ORIGIN_HEADER));
        return new Result(new HistoryRow(r.partition(), r.offset(), document, ts == null ? Instant.EPOCH : ts, origin, r.value()), null);
    }

    /** {@code r} quarantined as {@link Reason#UNSTORABLE}, whole, as the classifier would have kept it. */
    static QuarantinedRow unstorable(ConsumerRecord<byte[], byte[]> r, String detail) {
        String document = r.key() == null ? null : UpdateRecords.documentOf(r.key());
        Instant ts = r.timestamp() >= 0 ? Instant.ofEpochMilli(r.timestamp()) : null;
        return quarantine(r, DocumentNames.isValid(document) ? document : null, Reason.UNSTORABLE, detail, ts).quarantined();
    }

    /**
     * {@code r} quarantined as {@link Reason#UNSTORABLE} with only what cannot be refused (positions, key and value
     * bytes, the detail): for a record whose whole quarantined row PostgreSQL refused too (its timestamp, say).
     */
    static QuarantinedRow unstorableBare(ConsumerRecord<byte[], byte[]> r, String detail) {
        return new QuarantinedRow(r.topic(), r.partition(), r.offset(), null, r.key(), Reason.UNSTORABLE.name(),
                detail + " (the quarantined row was refused too: kept without document, headers and timestamp)", r.value(), "[]", null);
    }

    /** {@code s} as PostgreSQL text can hold it: U+0000 (which it cannot) replaced by U+FFFD, as invalid UTF-8 already is. */
    private static String textOrNull(String s) {
        return s == null ? null : s.replace('\u0000', '\ufffd');
    }

    private static Result quarantine(ConsumerRecord<byte[], byte[]> r, String document, Reason reason, String detail, Instant ts) {
        return new Result(null, new QuarantinedRow(r.topic(), r.partition(), r.offset(), document, r.key(), reason.name(), detail,
                r.value(), headersJson(r), ts));
    }

    /** Headers as a JSON array of {"key": ..., "value": base64 or null}, in order. */
    static String headersJson(ConsumerRecord<byte[], byte[]> r) {
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (Header h : r.headers()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"key\":").append(Json.string(h.key())).append(",\"value\":")
                    .append(h.value() == null ? "null" : "\"" + Base64.getEncoder().encodeToString(h.value()) + "\"").append('}');
        }
        return sb.append(']').toString();
    }
}
