-- Snapshot of the whole schema after every migration, for readers. Not executed: the migration
-- runner reads only NNNN_*.sql. Keep it in step with the migrations (a test checks the names).

CREATE DATABASE IF NOT EXISTS sightline;

-- 0002_site_retention (first here: the TTLs below read its dictionary)
CREATE TABLE IF NOT EXISTS sightline.site_retention
(
    site_id       String,
    raw_months    UInt16,
    rollup_months UInt16,
    updated_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY site_id;

CREATE DICTIONARY IF NOT EXISTS sightline.site_retention_dict
(
    site_id       String,
    raw_months    UInt16 DEFAULT 13,
    rollup_months UInt16 DEFAULT 60
)
PRIMARY KEY site_id
SOURCE(CLICKHOUSE(QUERY 'SELECT site_id, argMax(raw_months, updated_at) AS raw_months, argMax(rollup_months, updated_at) AS rollup_months FROM sightline.site_retention GROUP BY site_id'))
LIFETIME(MIN 300 MAX 600)
LAYOUT(COMPLEX_KEY_HASHED());

-- 0001_events, with the TTL of 0004_events_ttl and the column of 0012_events_received_at.
-- ts is when the event happened (its client time corrected for clock skew), received_at when the
-- server got it.
CREATE TABLE IF NOT EXISTS sightline.events
(
    event_id        String,
    site_id         LowCardinality(String),
    ts              DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    received_at     DateTime64(3, 'UTC') DEFAULT ts CODEC(Delta, ZSTD(1)),
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
TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0003_bot_events
CREATE TABLE IF NOT EXISTS sightline.bot_events AS sightline.events
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (site_id, toDate(ts), name, event_id)
TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0005_events_hourly
CREATE TABLE IF NOT EXISTS sightline.events_hourly
(
    site_id  LowCardinality(String),
    hour     DateTime('UTC') CODEC(Delta, ZSTD(1)),
    name     LowCardinality(String),
    events   AggregateFunction(uniqExact, String),
    visitors AggregateFunction(uniqExact, String),
    sessions AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, name)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0006_events_hourly_mv
CREATE MATERIALIZED VIEW IF NOT EXISTS sightline.events_hourly_mv TO sightline.events_hourly AS
SELECT
    site_id,
    toStartOfHour(ts) AS hour,
    name,
    uniqExactState(event_id) AS events,
    uniqExactState(visitor_id) AS visitors,
    uniqExactState(session_id) AS sessions
FROM sightline.events
WHERE is_bot = 0
GROUP BY site_id, hour, name;

-- 0007_dead_letter
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

-- 0008_events_with_bots
CREATE TABLE IF NOT EXISTS sightline.events_with_bots AS sightline.events
ENGINE = Merge('sightline', '^(events|bot_events)$');

-- 0009_visitor_slots
CREATE TABLE IF NOT EXISTS sightline.visitor_slots
(
    site_id    LowCardinality(String),
    visitor_id String,
    slot       DateTime('UTC') CODEC(Delta, ZSTD(1)),
    first_ts   SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_ts    SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    pageviews  SimpleAggregateFunction(groupUniqArrayArray, Array(UInt64))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(slot)
ORDER BY (site_id, visitor_id, slot)
TTL slot + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0010_visitor_slots_mv
CREATE MATERIALIZED VIEW IF NOT EXISTS sightline.visitor_slots_mv TO sightline.visitor_slots AS
SELECT
    site_id,
    visitor_id,
    toStartOfInterval(ts, toIntervalMinute(30)) AS slot,
    min(ts) AS first_ts,
    max(ts) AS last_ts,
    groupUniqArrayIf(sipHash64(event_id), name = 'pageview') AS pageviews
FROM sightline.events
WHERE is_bot = 0
GROUP BY site_id, visitor_id, slot;

-- 0011_visitor_slots_backfill fills visitor_slots from events stored before its view (an INSERT).

-- Applied migrations (created by the runner itself)
CREATE TABLE IF NOT EXISTS sightline.schema_migrations
    (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
ENGINE = ReplacingMergeTree ORDER BY version;
