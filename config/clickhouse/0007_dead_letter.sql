-- Spool lines that ClickHouse refused, with the reason, so nothing accepted is silently lost.
-- Keyed on the line's place in the spool, so dead-lettering the same line again folds into one row.
CREATE TABLE IF NOT EXISTS sightline.dead_letter
(
    received_at DateTime64(3, 'UTC') DEFAULT now64(3),
    source      LowCardinality(String),
    file        String,
    offset      UInt64,
    reason      String CODEC(ZSTD(1)),
    line        String CODEC(ZSTD(3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (file, offset)
TTL toDateTime(received_at) + INTERVAL 90 DAY;
