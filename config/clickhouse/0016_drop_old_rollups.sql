-- events_hourly (uniqExact states of every event, visitor and session id; the session state was
-- never read) and visitor_slots are replaced by the rollups of 0015 and the slots and sessions of
-- 0014. Their views went in 0013, before the events moved.
DROP TABLE IF EXISTS sightline.events_hourly;
DROP TABLE IF EXISTS sightline.visitor_slots;
