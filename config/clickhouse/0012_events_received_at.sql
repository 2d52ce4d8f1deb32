-- Events keep when the server received them beside when they happened: `ts` is now the event's
-- own time, corrected for the browser's clock skew (edge/src/event-time.ts), and reports bucket
-- by it. Rows stored before this migration had `ts` = receive time, which is what the default
-- gives them.
ALTER TABLE sightline.events
    ADD COLUMN IF NOT EXISTS received_at DateTime64(3, 'UTC') DEFAULT ts CODEC(Delta, ZSTD(1)) AFTER ts
SETTINGS allow_suspicious_ttl_expressions = 1;
ALTER TABLE sightline.bot_events
    ADD COLUMN IF NOT EXISTS received_at DateTime64(3, 'UTC') DEFAULT ts CODEC(Delta, ZSTD(1)) AFTER ts
SETTINGS allow_suspicious_ttl_expressions = 1;
ALTER TABLE sightline.events_with_bots
    ADD COLUMN IF NOT EXISTS received_at DateTime64(3, 'UTC') AFTER ts;
