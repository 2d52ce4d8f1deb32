-- Sessions written once, not derived in every report. session_slots holds each visitor's half
-- hours (first and last event time), written by views on both event tables; slot_log lists each
-- slot row as written, so the materializer (src/storage/materialize.ts) finds what is new; it then
-- writes one row per session to sessions, and the watermark in materialized says how far it got.
-- The views are defined in code (src/storage/views.ts), where the slot rule lives once.
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
