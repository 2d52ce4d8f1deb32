-- Raw events: one row per event id. ReplacingMergeTree folds duplicate deliveries during merges;
-- reports count uniqExact(event_id) so they are exact before merges too.
CREATE TABLE IF NOT EXISTS sightline.events
(
    event_id        String,
    site_id         LowCardinality(String),
    ts              DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    client_ts       DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    name            LowCardinality(String),
    visitor_id      String,
    session_id      String,
    user_id         String,
    hostname        LowCardinality(String),
    pathname        String CODEC(ZSTD(1)),
    query           String CODEC(ZSTD(1)),
    referrer        String CODEC(ZSTD(1)),
    referrer_domain LowCardinality(String),
    channel         LowCardinality(String),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        String,
    utm_content     String,
    country         LowCardinality(String),
    region          LowCardinality(String),
    city            LowCardinality(String),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    language        LowCardinality(String),
    is_bot          UInt8,
    props           Map(LowCardinality(String), String),
    revenue         Decimal(18, 4),
    currency        LowCardinality(String),
    engaged_ms      UInt32,
    scroll_depth    UInt8,
    tracker_version LowCardinality(String)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, toDate(ts), name, event_id)
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30;
