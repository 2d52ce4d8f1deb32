-- Reads human and bot traffic together, for reports that ask to include bots.
CREATE TABLE IF NOT EXISTS sightline.events_with_bots AS sightline.events
ENGINE = Merge('sightline', '^(events|bot_events)$');
