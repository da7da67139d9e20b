-- V1: the PostgreSQL projection of Quire's Kafka update log.
--
-- The Kafka topic (key = document name, value = one Yjs v1 update) is the truth; these tables are derived
-- from it by the persister and read by the fronts (document load), `quire replay` and `quire history`.
-- A record's identity everywhere is (partition, offset) in the one updates topic of a deployment.
--
-- No schema name appears below: Flyway runs this in its default schema (`Migrations.migrate(ds, schema)`).
-- Constraint and index names are spelled out because stores and tests refer to them.

-- ---------------------------------------------------------------------------------------------------------
-- document_updates: one row per Kafka record that is a valid Yjs update (the full-fidelity history).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE document_updates (
    topic_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    document        text        NOT NULL,
    kafka_timestamp timestamptz NOT NULL,
    origin          text,
    update_v1       bytea       NOT NULL,
    size_bytes      integer     GENERATED ALWAYS AS (octet_length(update_v1)) STORED,
    CONSTRAINT document_updates_pkey PRIMARY KEY (topic_partition, kafka_offset),
    CONSTRAINT document_updates_partition_check CHECK (topic_partition >= 0),
    CONSTRAINT document_updates_offset_check CHECK (kafka_offset >= 0)
);

COMMENT ON TABLE document_updates IS
    'History: every valid Yjs update of the updates topic, keyed by its Kafka (partition, offset). '
    'Written once by the persister in the same transaction as consumer_offsets, so a row is never lost or duplicated.';
COMMENT ON COLUMN document_updates.topic_partition IS
    'Kafka partition of the updates topic. All records of a document share one partition while the topic''s partition count is unchanged.';
COMMENT ON COLUMN document_updates.kafka_offset IS
    'Kafka offset inside topic_partition: the version number of the update, ordering a document''s history.';
COMMENT ON COLUMN document_updates.document IS 'Document name: the record key decoded as UTF-8.';
COMMENT ON COLUMN document_updates.kafka_timestamp IS
    'Kafka record timestamp (producer CreateTime unless the topic uses LogAppendTime); not guaranteed monotonic in offset order.';
COMMENT ON COLUMN document_updates.origin IS
    'Origin header of the record (the front and connection that produced it); NULL when the record had none.';
COMMENT ON COLUMN document_updates.update_v1 IS 'The record value: one Yjs update, v1 encoding, exactly as in Kafka.';
COMMENT ON COLUMN document_updates.size_bytes IS 'Length of update_v1 in bytes (generated; never written by clients).';

-- Replay and load: "updates of document D after offset S up to N", in offset order.
CREATE INDEX document_updates_document_offset_idx ON document_updates (document, kafka_offset);
-- History paging by time and "replay --at TIME": the last update of D at or before T.
CREATE INDEX document_updates_document_timestamp_idx ON document_updates (document, kafka_timestamp);

-- ---------------------------------------------------------------------------------------------------------
-- document_snapshots: the compacted state of a document up to an offset (a projection of the history).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE document_snapshots (
    document        text        NOT NULL,
    topic_partition integer     NOT NULL,
    up_to_offset    bigint      NOT NULL,
    state_v1        bytea       NOT NULL,
    state_vector    bytea       NOT NULL,
    update_count    bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT document_snapshots_pkey PRIMARY KEY (document, up_to_offset),
    CONSTRAINT document_snapshots_partition_check CHECK (topic_partition >= 0),
    CONSTRAINT document_snapshots_offset_check CHECK (up_to_offset >= 0),
    CONSTRAINT document_snapshots_update_count_check CHECK (update_count > 0)
);

COMMENT ON TABLE document_snapshots IS
    'Snapshots: the merged (and possibly garbage-collected) state of a document after every update up to up_to_offset. '
    'Derived data: `quire rebuild` recomputes them from document_updates.';
COMMENT ON COLUMN document_snapshots.topic_partition IS 'Kafka partition whose offsets up_to_offset counts in (the document''s partition).';
COMMENT ON COLUMN document_snapshots.up_to_offset IS
    'Offset of the last update folded in, inclusive: a load continues from up_to_offset + 1 in topic_partition.';
COMMENT ON COLUMN document_snapshots.state_v1 IS 'The whole document state as one Yjs update, v1 encoding.';
COMMENT ON COLUMN document_snapshots.state_vector IS 'Yjs state vector of state_v1 (encoded as by Y.encodeStateVector), for sync step 1 without decoding the state.';
COMMENT ON COLUMN document_snapshots.update_count IS
    'How many updates of the document this state folds: its history rows at offsets <= up_to_offset, from the first one.';
COMMENT ON COLUMN document_snapshots.created_at IS 'When the persister (or a rebuild) wrote the snapshot; not a Kafka time.';
-- "Newest snapshot of D at or before offset N" (WHERE document = D AND up_to_offset <= N ORDER BY up_to_offset
-- DESC LIMIT 1) is a backward scan of document_snapshots_pkey: no separate index is needed.

-- ---------------------------------------------------------------------------------------------------------
-- consumer_offsets: the persister's consumed positions, committed with the rows they cover (exactly once).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE consumer_offsets (
    consumer_group  text        NOT NULL,
    topic           text        NOT NULL,
    topic_partition integer     NOT NULL,
    next_offset     bigint      NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT consumer_offsets_pkey PRIMARY KEY (consumer_group, topic, topic_partition),
    CONSTRAINT consumer_offsets_partition_check CHECK (topic_partition >= 0),
    CONSTRAINT consumer_offsets_offset_check CHECK (next_offset >= 0)
);

COMMENT ON TABLE consumer_offsets IS
    'Positions of Kafka consumer groups that keep their offsets in PostgreSQL. Updated in the same transaction as the rows '
    'consumed; on start and on every partition assignment the consumer seeks to next_offset.';
COMMENT ON COLUMN consumer_offsets.next_offset IS
    'Offset of the next record to consume (Kafka''s committed-offset convention: last processed offset + 1).';

-- ---------------------------------------------------------------------------------------------------------
-- quarantined_records: records of the updates topic that could not be projected (never in history or snapshots).
-- ---------------------------------------------------------------------------------------------------------
CREATE TABLE quarantined_records (
    topic           text        NOT NULL,
    topic_partition integer     NOT NULL,
    kafka_offset    bigint      NOT NULL,
    document        text,
    key_bytes       bytea,
    reason          text        NOT NULL,
    error_detail    text,
    value_bytes     bytea,
    headers         jsonb       NOT NULL DEFAULT '[]'::jsonb,
    kafka_timestamp timestamptz,
    quarantined_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT quarantined_records_pkey PRIMARY KEY (topic, topic_partition, kafka_offset),
    CONSTRAINT quarantined_records_partition_check CHECK (topic_partition >= 0),
    CONSTRAINT quarantined_records_offset_check CHECK (kafka_offset >= 0),
    CONSTRAINT quarantined_records_reason_check CHECK (reason ~ '^[A-Z][A-Z0-9_]*$'),
    CONSTRAINT quarantined_records_headers_check CHECK (jsonb_typeof(headers) = 'array')
);

COMMENT ON TABLE quarantined_records IS
    'Records the persister skipped (not a valid Yjs update, no key, key not UTF-8, ...), kept whole for inspection. '
    'A quarantined record never blocks its partition and never enters document_updates or a snapshot.';
COMMENT ON COLUMN quarantined_records.document IS 'The key decoded as UTF-8; NULL when the record had no key or the key is not valid UTF-8.';
COMMENT ON COLUMN quarantined_records.key_bytes IS 'The raw record key; NULL when the record had no key.';
COMMENT ON COLUMN quarantined_records.reason IS
    'Machine-readable reason code in UPPER_SNAKE_CASE (a Java enum constant name), e.g. MALFORMED_UPDATE, MISSING_KEY, INVALID_KEY.';
COMMENT ON COLUMN quarantined_records.error_detail IS 'Human-readable detail: the exception message, with the byte offset where decoding failed.';
COMMENT ON COLUMN quarantined_records.value_bytes IS 'The raw record value; NULL for a record without value (tombstone).';
COMMENT ON COLUMN quarantined_records.headers IS
    'Record headers in order, duplicates kept: a JSON array of {"key": text, "value": base64 text or null}.';
COMMENT ON COLUMN quarantined_records.kafka_timestamp IS 'Kafka record timestamp; NULL when the record carried none.';

CREATE INDEX quarantined_records_quarantined_at_idx ON quarantined_records (quarantined_at);
