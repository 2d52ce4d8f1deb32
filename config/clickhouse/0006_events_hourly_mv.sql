-- Feeds events_hourly from every insert into events. The view can fall behind its source after a
-- crash (its write is not atomic with the source's), so `sightline rollups check|rebuild`
-- compares it with events and re-inserts states from the source.
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
