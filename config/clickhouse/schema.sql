-- Snapshot of the whole schema after every migration, for readers. Not executed: the migration
-- runner reads only NNNN_*.sql and NNNN_*.ts, then creates the views from src/storage/views.ts (the
-- statements at the end are what it runs). Keep it in step with them (tests check the names, the
-- TTLs and the views).

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

-- 0013_events_layout: the event tables for scale (64-bit visitor hash, FixedString(2) country,
-- site and day first in the sort key, SAMPLE BY the hash). ts is when the event happened (its
-- client time corrected for clock skew), received_at when the server got it (0012).
CREATE TABLE IF NOT EXISTS sightline.events
(
    event_id        String,
    site_id         LowCardinality(String),
    ts              DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    received_at     DateTime64(3, 'UTC') DEFAULT ts CODEC(Delta, ZSTD(1)),
    client_ts       DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    name            LowCardinality(String),
    visitor_id      String CODEC(ZSTD(1)),
    session_id      String CODEC(ZSTD(1)),
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
    country         FixedString(2),
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
    tracker_version LowCardinality(String),
    visitor         UInt64 MATERIALIZED sipHash64(visitor_id)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
PRIMARY KEY (site_id, toDate(ts), name, visitor)
ORDER BY (site_id, toDate(ts), name, visitor, event_id)
SAMPLE BY visitor
TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0013_events_layout (bot_events, 0003, in the same layout)
CREATE TABLE IF NOT EXISTS sightline.bot_events
(
    event_id        String,
    site_id         LowCardinality(String),
    ts              DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    received_at     DateTime64(3, 'UTC') DEFAULT ts CODEC(Delta, ZSTD(1)),
    client_ts       DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    name            LowCardinality(String),
    visitor_id      String CODEC(ZSTD(1)),
    session_id      String CODEC(ZSTD(1)),
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
    country         FixedString(2),
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
    tracker_version LowCardinality(String),
    visitor         UInt64 MATERIALIZED sipHash64(visitor_id)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(ts)
PRIMARY KEY (site_id, toDate(ts), name, visitor)
ORDER BY (site_id, toDate(ts), name, visitor, event_id)
SAMPLE BY visitor
TTL toDateTime(ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS non_replicated_deduplication_window = 10000, old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0013_events_layout (events_with_bots, 0008, created again over the new columns)
CREATE TABLE IF NOT EXISTS sightline.events_with_bots AS sightline.events ENGINE = Merge('sightline', '^(events|bot_events)$');

-- 0013_events_layout: what a code migration has done, so a re-run after a crash goes on from there
CREATE TABLE IF NOT EXISTS sightline.migration_progress
    (migration UInt32, item String, rows UInt64, done_at DateTime64(3, 'UTC') DEFAULT now64(3))
    ENGINE = ReplacingMergeTree ORDER BY (migration, item);

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

-- 0014_sessions
CREATE TABLE IF NOT EXISTS sightline.session_slots
(
    site_id  LowCardinality(String),
    is_bot   UInt8,
    visitor  UInt64,
    slot     DateTime('UTC') CODEC(Delta, ZSTD(1)),
    first_ts SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    last_ts  SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    inserted SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(slot)
ORDER BY (site_id, is_bot, visitor, slot)
TTL slot + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'raw_months', tuple(site_id), toUInt16(13)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.slot_log
(
    inserted DateTime64(3, 'UTC'),
    site_id  LowCardinality(String),
    is_bot   UInt8,
    visitor  UInt64,
    slot     DateTime('UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(inserted)
ORDER BY (inserted, site_id)
TTL toDateTime(inserted) + INTERVAL 7 DAY
SETTINGS ttl_only_drop_parts = 1, old_parts_lifetime = 30;

CREATE TABLE IF NOT EXISTS sightline.sessions
(
    site_id         LowCardinality(String),
    is_bot          UInt8,
    visitor         UInt64,
    first_ts        DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    last_ts         DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
    pageviews       UInt32,
    events          UInt32,
    entry_page      String CODEC(ZSTD(1)),
    exit_page       String CODEC(ZSTD(1)),
    pages           Array(String) CODEC(ZSTD(1)),
    names           Array(LowCardinality(String)),
    hostname        LowCardinality(String),
    referrer        String CODEC(ZSTD(1)),
    referrer_domain LowCardinality(String),
    channel         LowCardinality(String),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        String,
    utm_content     String,
    country         FixedString(2),
    region          LowCardinality(String),
    city            LowCardinality(String),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    language        LowCardinality(String),
    version         UInt64,
    deleted         UInt8,
    INDEX session_last last_ts TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version, deleted)
PARTITION BY toYYYYMM(first_ts)
ORDER BY (site_id, is_bot, toDate(first_ts), visitor, first_ts)
TTL toDateTime(first_ts) + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.materialized
(
    name  LowCardinality(String),
    up_to DateTime64(3, 'UTC'),
    at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(at)
ORDER BY name;

-- 0015_rollups
CREATE TABLE IF NOT EXISTS sightline.rollup_hourly
(
    site_id   LowCardinality(String),
    hour      DateTime('UTC') CODEC(Delta, ZSTD(1)),
    events    UInt64,
    pageviews UInt64,
    visitors  AggregateFunction(uniqCombined64, UInt64),
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_events
(
    site_id  LowCardinality(String),
    hour     DateTime('UTC') CODEC(Delta, ZSTD(1)),
    name     LowCardinality(String),
    events   UInt64,
    visitors AggregateFunction(uniqCombined64, UInt64),
    version  UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, name)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_geo
(
    site_id   LowCardinality(String),
    hour      DateTime('UTC') CODEC(Delta, ZSTD(1)),
    country   FixedString(2),
    region    LowCardinality(String),
    city      LowCardinality(String),
    events    UInt64,
    pageviews UInt64,
    visitors  AggregateFunction(uniqCombined64, UInt64),
    version   UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, country, region, city)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_devices
(
    site_id         LowCardinality(String),
    hour            DateTime('UTC') CODEC(Delta, ZSTD(1)),
    browser         LowCardinality(String),
    browser_version LowCardinality(String),
    os              LowCardinality(String),
    os_version      LowCardinality(String),
    device          LowCardinality(String),
    language        LowCardinality(String),
    events          UInt64,
    pageviews       UInt64,
    visitors        AggregateFunction(uniqCombined64, UInt64),
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, browser, browser_version, os, os_version, device, language)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_sources
(
    site_id         LowCardinality(String),
    hour            DateTime('UTC') CODEC(Delta, ZSTD(1)),
    channel         LowCardinality(String),
    referrer_domain LowCardinality(String),
    referrer        String CODEC(ZSTD(1)),
    utm_source      LowCardinality(String),
    utm_medium      LowCardinality(String),
    utm_campaign    LowCardinality(String),
    utm_term        String,
    utm_content     String,
    events          UInt64,
    pageviews       UInt64,
    visitors        AggregateFunction(uniqCombined64, UInt64),
    version         UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, channel, referrer_domain, referrer, utm_source, utm_medium, utm_campaign, utm_term, utm_content)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

CREATE TABLE IF NOT EXISTS sightline.rollup_pages
(
    site_id      LowCardinality(String),
    hour         DateTime('UTC') CODEC(Delta, ZSTD(1)),
    hostname     LowCardinality(String),
    pathname     String CODEC(ZSTD(1)),
    events       UInt64,
    pageviews    UInt64,
    visitors     AggregateFunction(uniqCombined64, UInt64),
    pv_visitors  AggregateFunction(uniqCombined64, UInt64),
    engagements  UInt64,
    engaged_ms   UInt64,
    scroll_depth UInt64,
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (site_id, hour, hostname, pathname)
TTL hour + toIntervalMonth(dictGetOrDefault('sightline.site_retention_dict', 'rollup_months', tuple(site_id), toUInt16(60)))
SETTINGS old_parts_lifetime = 30, allow_suspicious_ttl_expressions = 1;

-- 0016_drop_old_rollups dropped events_hourly and visitor_slots (0005, 0009; their views went in 0013).

-- Views, from src/storage/views.ts
CREATE MATERIALIZED VIEW IF NOT EXISTS sightline.session_slots_mv TO sightline.session_slots AS
SELECT site_id, is_bot, visitor, toDateTime(toStartOfInterval(ts, toIntervalSecond(1800)), 'UTC') AS slot,
    min(ts) AS first_ts, max(ts) AS last_ts, now64(3, 'UTC') AS inserted
  FROM sightline.events
  WHERE 1
  GROUP BY site_id, is_bot, visitor, slot
COMMENT 'sightline:fe9972ea8a661d97';

CREATE MATERIALIZED VIEW IF NOT EXISTS sightline.session_slots_bots_mv TO sightline.session_slots AS
SELECT site_id, is_bot, visitor, toDateTime(toStartOfInterval(ts, toIntervalSecond(1800)), 'UTC') AS slot,
    min(ts) AS first_ts, max(ts) AS last_ts, now64(3, 'UTC') AS inserted
  FROM sightline.bot_events
  WHERE 1
  GROUP BY site_id, is_bot, visitor, slot
COMMENT 'sightline:4c977dd9d5b08fef';

CREATE MATERIALIZED VIEW IF NOT EXISTS sightline.slot_log_mv TO sightline.slot_log AS
SELECT inserted, site_id, is_bot, visitor, slot FROM sightline.session_slots
COMMENT 'sightline:a4fb85ebd7622a75';

-- Applied migrations (created by the runner itself)
CREATE TABLE IF NOT EXISTS sightline.schema_migrations
    (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
ENGINE = ReplacingMergeTree ORDER BY version;
